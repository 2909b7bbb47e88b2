import { contentId } from './hash.ts';

interface Snapshot {
  readonly tenant_id: string;
  readonly event_id: string;
  readonly time: number;
  readonly ingest_time: number;
}

/** What a change event adds to the snapshot it was found in. */
export interface ChangeFields<K extends string> {
  readonly event_id: string;
  readonly time: number;
  readonly ingest_time: number;
  readonly change: K;
  readonly previous_value: string | null;
  readonly current_value: string | null;
}

/**
 * A change event: the current snapshot's fields, with an id derived from the
 * snapshots (not from `now`), so diffing the same pair again gives the same id.
 */
export function changeFromSnapshot<S extends Snapshot, K extends string>(
  eventKind: string,
  subject: S,
  entityId: string,
  kind: K,
  previousValue: string | null,
  currentValue: string | null,
  now: number,
): Omit<S, 'event_id' | 'time' | 'ingest_time'> & ChangeFields<K> {
  const eventId = contentId(
    eventKind,
    subject.tenant_id,
    entityId,
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
