import type { HistoryStore } from '../port.ts';

/** Days of history kept per kind of data; a kind left out keeps what its migration set. */
export interface RetentionDays {
  readonly signins?: number | undefined;
  readonly directoryAudits?: number | undefined;
  readonly auditRecords?: number | undefined;
  readonly deviceChanges?: number | undefined;
  readonly subscriptionChanges?: number | undefined;
  readonly alerts?: number | undefined;
  readonly deliveries?: number | undefined;
  readonly deadLetters?: number | undefined;
}

/**
 * The tables each kind of history lives in, with the column its age is
 * measured by. A sign-in's copies (the per-user path and the hourly
 * aggregate) go with it, so no query path outlives the others.
 */
export const RETENTION_TABLES: Readonly<Record<keyof RetentionDays, readonly (readonly [string, string])[]>> = {
  signins: [
    ['signins', 'time'],
    ['signins_by_user', 'time'],
    ['signins_hourly', 'hour'],
  ],
  directoryAudits: [['directory_audits', 'time']],
  auditRecords: [['audit_records', 'time']],
  deviceChanges: [['device_changes', 'time']],
  subscriptionChanges: [['subscription_changes', 'time']],
  alerts: [['alerts', 'updated_time']],
  deliveries: [['notification_deliveries', 'time']],
  deadLetters: [['dead_letter_records', 'time']],
};

export interface AppliedRetention {
  readonly table: string;
  readonly days: number;
}

/**
 * Sets each configured table's TTL (ALTER TABLE … MODIFY TTL), after the
 * migrations, at every start: the setting is the truth, whatever an earlier
 * start applied. Existing rows are not rewritten now
 * (materialize_ttl_after_modify = 0): rows past the new age leave in the
 * table's next merges, so a shorter retention costs no pause at start.
 */
export async function applyRetention(store: HistoryStore, retention: RetentionDays): Promise<AppliedRetention[]> {
  const applied: AppliedRetention[] = [];
  for (const [kind, tables] of Object.entries(RETENTION_TABLES) as [
    keyof RetentionDays,
    (typeof RETENTION_TABLES)[keyof RetentionDays],
  ][]) {
    const days = retention[kind];
    if (days === undefined) continue;
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`retention of ${kind} must be a whole number of days ≥ 1, not ${days}`);
    for (const [table, column] of tables) {
      await store.command(
        `ALTER TABLE ${table} MODIFY TTL toDateTime(${column}) + INTERVAL ${days} DAY SETTINGS materialize_ttl_after_modify = 0`,
      );
      applied.push({ table, days });
    }
  }
  return applied;
}
