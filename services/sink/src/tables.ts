import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DecodedEvent, DeviceChange, EventKind, EventKinds } from '@nightjar/events';
import { clickhouseTime } from '@nightjar/store';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas', 'clickhouse');

/** The table each event kind lands in. */
export const TABLES: { readonly [K in EventKind]: string } = {
  'sign-in': 'signins',
  'directory-audit': 'directory_audits',
  'audit-record': 'audit_records',
  'user-snapshot': 'users',
  'device-snapshot': 'devices',
  'device-change': 'device_changes',
  'subscription-snapshot': 'subscriptions',
  'subscription-change': 'subscription_changes',
  'tenant-capability': 'tenant_capabilities',
  'feed-health': 'feed_health',
  'dead-letter': 'dead_letter_records',
  alert: 'alerts',
  delivery: 'notification_deliveries',
};

/** Avro fields held as epoch milliseconds that are DateTime64 columns. */
const TIME_FIELDS = new Set([
  'time',
  'ingest_time',
  'created_time',
  'last_sign_in_time',
  'last_sync_time',
  'enrolled_time',
  'commitment_end_time',
  'first_seen',
  'last_seen',
  'updated_time',
  'last_success_time',
  'last_attempt_time',
  'read_through_time',
]);

/** An event as a ClickHouse row: times as UTC DateTime64 text, nested records as JSON. */
export function toRow<K extends EventKind>(kind: K, event: EventKinds[K]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(event)) {
    if (TIME_FIELDS.has(field) && typeof value === 'number') row[field] = clickhouseTime(value);
    else if (kind === 'directory-audit' && field === 'targets') row[field] = JSON.stringify(value);
    else row[field] = value;
  }
  return row;
}

export interface TableRow {
  readonly table: string;
  readonly row: Record<string, unknown>;
}

/**
 * Every row an event writes: its own, and for a device the collector no longer
 * sees, the device's last state again marked removed (migration 008), so the
 * current-state table stops counting it.
 */
export function rowsOf(decoded: DecodedEvent): TableRow[] {
  const own = { table: TABLES[decoded.kind], row: toRow(decoded.kind, decoded.event) };
  if (decoded.kind === 'device-change' && decoded.event.change === 'removed') {
    return [own, { table: TABLES['device-snapshot'], row: removedDeviceRow(decoded.event) }];
  }
  return [own];
}

function removedDeviceRow(change: DeviceChange): Record<string, unknown> {
  const { change: _kind, previous_value: _previous, current_value: _current, ...lastState } = change;
  return { ...toRow('device-snapshot', lastState), removed: true, removed_time: clickhouseTime(change.time) };
}
