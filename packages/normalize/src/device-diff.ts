import type { DeviceChange, DeviceSnapshot } from '@nightjar/events';
import { contentId } from './hash.ts';

export type DeviceChangeKind = 'enrolled' | 'removed' | 'compliance' | 'os_version' | 'stale';

function isStale(snapshot: DeviceSnapshot, at: number, staleAfterMs: number): boolean {
  return snapshot.last_sync_time !== null && at - snapshot.last_sync_time > staleAfterMs;
}

function change(
  kind: DeviceChangeKind,
  subject: DeviceSnapshot,
  previousValue: string | null,
  currentValue: string | null,
  now: number,
): DeviceChange {
  // The id comes from the snapshots, not from `now`, so diffing the same pair again gives the same id.
  const eventId = contentId(
    'device-change',
    subject.tenant_id,
    subject.device_uid,
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

function syncText(snapshot: DeviceSnapshot): string | null {
  return snapshot.last_sync_time === null ? null : new Date(snapshot.last_sync_time).toISOString();
}

/**
 * What changed between two polls of one device: enrolled (new), removed (gone), compliance,
 * os_version, and stale (its last sync is older than `staleAfterMs` at `now`, and it was not stale
 * when the previous snapshot was taken).
 */
export function diffDevices(
  previous: DeviceSnapshot | undefined,
  current: DeviceSnapshot | undefined,
  now: number,
  staleAfterMs: number,
): DeviceChange[] {
  if (current === undefined) {
    return previous === undefined ? [] : [change('removed', previous, previous.compliance_state, null, now)];
  }
  if (previous === undefined) return [change('enrolled', current, null, current.compliance_state, now)];
  const changes: DeviceChange[] = [];
  if (previous.compliance_state !== current.compliance_state) {
    changes.push(change('compliance', current, previous.compliance_state, current.compliance_state, now));
  }
  if (previous.os_version !== current.os_version) {
    changes.push(change('os_version', current, previous.os_version, current.os_version, now));
  }
  if (isStale(current, now, staleAfterMs) && !isStale(previous, previous.time, staleAfterMs)) {
    changes.push(change('stale', current, syncText(previous), syncText(current), now));
  }
  return changes;
}
