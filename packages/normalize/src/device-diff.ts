import type { DeviceChange, DeviceSnapshot } from '@nightjar/events';
import { changeFromSnapshot } from './snapshot-change.ts';

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
  return changeFromSnapshot('device-change', subject, subject.device_uid, kind, previousValue, currentValue, now);
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
