import { errorMessage, isRetryable, NightjarError } from '@nightjar/core';
import type { DeadLetter } from '@nightjar/events';
import type { PartnerCenterClient } from '@nightjar/m365';
import { diffSubscriptions, normalizePartnerSubscription } from '@nightjar/normalize';
import type { SubscriptionSnapshot } from '@nightjar/events';
import type { AnyEvent } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';
import type { Feed, FeedStep } from './feed.ts';
import { deadLetter } from './windowed-graph-feed.ts';

export interface PartnerCheckpoint {
  /** Last snapshot of every subscription of every customer, without raw records. */
  readonly subscriptions: Readonly<Record<string, Omit<SubscriptionSnapshot, 'raw'>>>;
  readonly customers: readonly string[];
  /** Customers whose subscriptions could not be read at the last poll; each is dead-lettered once, not hourly. */
  readonly unreadable?: readonly string[];
}

/** One MSP's CSP customers and their subscriptions, diffed into changes (suspended, quantity, commitment end…). */
export function partnerSubscriptionsFeed(
  partnerCenter: PartnerCenterClient,
  intervalMs = 60 * 60_000,
): Feed<PartnerCheckpoint> {
  return {
    name: 'partner-subscriptions',
    api: 'partnerCenter',
    intervalMs,
    async step(partner, checkpoint, now): Promise<FeedStep<PartnerCheckpoint>> {
      const previous = checkpoint?.subscriptions ?? {};
      const current: Record<string, Omit<SubscriptionSnapshot, 'raw'>> = {};
      const events: AnyEvent[] = [];
      const rejects: DeadLetter[] = [];
      const customers: string[] = [];
      const unreadable: string[] = [];
      const unreadableBefore = new Set(checkpoint?.unreadable ?? []);
      for await (const page of partnerCenter.customers(partner.credentials)) {
        for (const customer of page) {
          const id = (customer as { id?: unknown }).id;
          if (typeof id === 'string') customers.push(id);
        }
      }
      for (const customerId of customers) {
        const context = {
          mspId: partner.mspId,
          tenantId: customerId,
          source: 'partnercenter.subscriptions',
          ingestTime: now,
        };
        let records: unknown[];
        try {
          records = await partnerCenter.subscriptions(partner.credentials, customerId);
        } catch (error) {
          // Throttling and outages are Partner Center's, not the customer's: the whole step retries later.
          if (isRetryable(error)) throw error;
          // One customer refused (403 20002 no commerce relationship, 404 60003 tenant gone) must not
          // cost the others their subscriptions; its last snapshots stay, so nothing looks removed.
          unreadable.push(customerId);
          if (!unreadableBefore.has(customerId)) rejects.push(unreadableCustomer(partner, customerId, error, now));
          for (const [key, before] of Object.entries(previous))
            if (key.startsWith(`${customerId}/`)) current[key] = before;
          continue;
        }
        for (const record of records) {
          try {
            const snapshot = normalizePartnerSubscription(record, context);
            const { raw: _raw, ...compact } = snapshot;
            const key = `${customerId}/${snapshot.subscription_uid}`;
            current[key] = compact;
            const before = previous[key];
            if (before?.event_id !== snapshot.event_id) events.push({ kind: 'subscription-snapshot', event: snapshot });
            for (const change of diffSubscriptions(before && { ...before, raw: '' }, snapshot, now))
              events.push({ kind: 'subscription-change', event: change });
          } catch (error) {
            rejects.push(
              deadLetter({ ...partner, tenantId: customerId }, 'partnercenter.subscriptions', record, error, now),
            );
          }
        }
      }
      for (const [key, before] of Object.entries(previous)) {
        if (current[key]) continue;
        for (const change of diffSubscriptions({ ...before, raw: '' }, undefined, now))
          events.push({ kind: 'subscription-change', event: change });
      }
      return { events, rejects, checkpoint: { subscriptions: current, customers, unreadable }, caughtUp: true };
    },
  };
}

function unreadableCustomer(partner: CollectorTenant, customerId: string, error: unknown, now: number): DeadLetter {
  const details = error instanceof NightjarError ? error.details : {};
  return {
    msp_id: partner.mspId,
    tenant_id: customerId,
    source: 'partnercenter.subscriptions',
    stage: 'collector',
    reason: `subscriptions of customer ${customerId} unreadable: ${errorMessage(error)}`,
    time: now,
    payload: JSON.stringify({ customerId, status: details['status'] ?? null, code: details['code'] ?? null }),
    location: `/v1/customers/${customerId}/subscriptions`,
  };
}
