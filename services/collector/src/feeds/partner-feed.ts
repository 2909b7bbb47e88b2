import type { DeadLetter } from '@nightjar/events';
import type { PartnerCenterClient } from '@nightjar/m365';
import { diffSubscriptions, normalizePartnerSubscription } from '@nightjar/normalize';
import type { SubscriptionSnapshot } from '@nightjar/events';
import type { AnyEvent } from '../output.ts';
import type { Feed, FeedStep } from './feed.ts';
import { deadLetter } from './windowed-graph-feed.ts';

export interface PartnerCheckpoint {
  /** Last snapshot of every subscription of every customer, without raw records. */
  readonly subscriptions: Readonly<Record<string, Omit<SubscriptionSnapshot, 'raw'>>>;
  readonly customers: readonly string[];
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
        for (const record of await partnerCenter.subscriptions(partner.credentials, customerId)) {
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
      return { events, rejects, checkpoint: { subscriptions: current, customers }, caughtUp: true };
    },
  };
}
