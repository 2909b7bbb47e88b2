import type { SubscriptionChange, SubscriptionSnapshot } from '@nightjar/events';
import type { ScenarioEvent } from '../../testing/scenario.ts';
import { MSP, T0, TENANT } from '../../testing/sign-ins.ts';

let sequence = 0;

/** Subscription S1: 25 Microsoft 365 Business Premium seats, annual, auto-renewing. */
export function subscriptionSnapshot(overrides: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot {
  sequence += 1;
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'partner.subscriptions',
    event_id: `ss-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0,
    subscription_uid: 'sub-s1',
    offer_uid: 'CFQ7TTC0LCHC:0002',
    offer_name: 'Microsoft 365 Business Premium',
    friendly_name: 'M365 BP',
    quantity: 25,
    status: 'active',
    commitment_end_time: T0 + 200 * 86_400_000,
    auto_renew: true,
    billing_cycle: 'monthly',
    term_duration: 'P1Y',
    is_trial: false,
    suspension_reasons: [],
    raw: '{}',
    ...overrides,
  };
}

export function subscriptionChange(overrides: Partial<SubscriptionChange> = {}): SubscriptionChange {
  const { event_id: _ignored, ...snapshot } = subscriptionSnapshot();
  sequence += 1;
  return {
    ...snapshot,
    event_id: `sc-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    change: 'status',
    previous_value: 'active',
    current_value: 'suspended',
    status: 'suspended',
    ...overrides,
  };
}

export const subscriptionChanges = (events: readonly SubscriptionChange[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'subscription-change', event }));

export const subscriptionSnapshots = (events: readonly SubscriptionSnapshot[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'subscription-snapshot', event }));
