import { InvalidRecordError } from '@nightjar/core';
import type { SubscriptionSnapshot } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { bool, first, get, isRecord, num, obj, shown, strings, text, type Rec } from './fields.ts';
import { contentId } from './hash.ts';
import { optionalTime } from './time.ts';

export type SubscriptionState = Omit<
  SubscriptionSnapshot,
  'msp_id' | 'tenant_id' | 'source' | 'event_id' | 'time' | 'ingest_time' | 'raw'
>;

/** The customer tenant from the subscription's own link: `/customers/{tenant}/subscriptions/{id}`. */
function customerFromLinks(record: Rec): string | null {
  const links = obj(get(record, 'links'));
  const self = links === null ? null : obj(get(links, 'self'));
  const uri = self === null ? null : text(get(self, 'uri'));
  return uri === null ? null : (/customers\/([^/]+)\/subscriptions/i.exec(uri)?.[1] ?? null);
}

/** A Partner Center subscription of one customer at one poll; tenant_id is the customer tenant. */
export function normalizePartnerSubscription(record: unknown, context: NormalizeContext): SubscriptionSnapshot {
  if (!isRecord(record)) throw new InvalidRecordError('subscription record is not a JSON object');
  const uid = text(get(record, 'id'));
  if (uid === null) throw new InvalidRecordError('subscription record has no id');
  const status = text(get(record, 'status'));
  if (status === null) throw new InvalidRecordError('subscription record has no status');
  const quantityValue = get(record, 'quantity');
  const quantity = quantityValue === undefined || quantityValue === null ? 0 : num(quantityValue);
  if (quantity === null)
    throw new InvalidRecordError(`subscription quantity '${shown(quantityValue)}' is not a number`);
  const tenantId = tenantOf(context, 'subscription', customerFromLinks(record));
  const state: SubscriptionState = {
    subscription_uid: uid,
    offer_uid: text(get(record, 'offerId')),
    offer_name: text(get(record, 'offerName')),
    friendly_name: text(get(record, 'friendlyName')),
    quantity,
    status: status.toLowerCase(),
    commitment_end_time: optionalTime(get(record, 'commitmentEndDate'), 'commitmentEndDate'),
    auto_renew: bool(get(record, 'autoRenewEnabled')),
    billing_cycle: text(get(record, 'billingCycle')),
    term_duration: text(get(record, 'termDuration')),
    is_trial: bool(first(record, 'isTrial')) ?? false,
    suspension_reasons: strings(get(record, 'suspensionReasons')),
  };
  return {
    ...base(context, tenantId, contentId('subscription', tenantId, state), context.ingestTime),
    ...state,
    raw: JSON.stringify(record),
  };
}
