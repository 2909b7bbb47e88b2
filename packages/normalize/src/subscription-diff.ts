import type { SubscriptionChange, SubscriptionSnapshot } from '@nightjar/events';
import { changeFromSnapshot } from './snapshot-change.ts';

export type SubscriptionChangeKind = 'created' | 'removed' | 'status' | 'quantity' | 'commitment_end';

function change(
  kind: SubscriptionChangeKind,
  subject: SubscriptionSnapshot,
  previousValue: string | null,
  currentValue: string | null,
  now: number,
): SubscriptionChange {
  return changeFromSnapshot(
    'subscription-change',
    subject,
    subject.subscription_uid,
    kind,
    previousValue,
    currentValue,
    now,
  );
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** What changed between two polls of one subscription: created, removed, status, quantity, commitment_end. */
export function diffSubscriptions(
  previous: SubscriptionSnapshot | undefined,
  current: SubscriptionSnapshot | undefined,
  now: number,
): SubscriptionChange[] {
  if (current === undefined) {
    return previous === undefined ? [] : [change('removed', previous, previous.status, null, now)];
  }
  if (previous === undefined) return [change('created', current, null, current.status, now)];
  const changes: SubscriptionChange[] = [];
  if (previous.status !== current.status) changes.push(change('status', current, previous.status, current.status, now));
  if (previous.quantity !== current.quantity) {
    changes.push(change('quantity', current, String(previous.quantity), String(current.quantity), now));
  }
  if (previous.commitment_end_time !== current.commitment_end_time) {
    const before = isoOrNull(previous.commitment_end_time);
    changes.push(change('commitment_end', current, before, isoOrNull(current.commitment_end_time), now));
  }
  return changes;
}
