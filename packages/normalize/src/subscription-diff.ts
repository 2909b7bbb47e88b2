import type { SubscriptionChange, SubscriptionSnapshot } from '@nightjar/events';
import { contentId } from './hash.ts';

export type SubscriptionChangeKind = 'created' | 'removed' | 'status' | 'quantity' | 'commitment_end';

function change(
  kind: SubscriptionChangeKind,
  subject: SubscriptionSnapshot,
  previousValue: string | null,
  currentValue: string | null,
  now: number,
): SubscriptionChange {
  const eventId = contentId(
    'subscription-change',
    subject.tenant_id,
    subject.subscription_uid,
    kind,
    previousValue,
    currentValue,
    subject.event_id,
  );
  const { event_id: _snapshotId, time: _snapshotTime, ingest_time: _ingest, ...rest } = subject;
  return {
    ...rest,
    event_id: eventId,
    time: now,
    ingest_time: now,
    change: kind,
    previous_value: previousValue,
    current_value: currentValue,
  };
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
