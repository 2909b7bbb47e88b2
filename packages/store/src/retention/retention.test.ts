import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChdbStore } from '../chdb/chdb-store.ts';
import { loadMigrations } from '../migrations/migration-files.ts';
import { migrate } from '../migrations/migrate.ts';
import type { HistoryStore } from '../port.ts';
import { clickhouseTime } from '../time.ts';
import { applyRetention, RETENTION_TABLES } from './retention.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');
const DAY = 86_400_000;
const root = mkdtempSync(join(tmpdir(), 'nightjar-retention-'));
let store: HistoryStore;

async function ttlOf(table: string): Promise<string> {
  const [row] = await store.query<{ create: string }>(
    `SELECT create_table_query AS create FROM system.tables WHERE database = currentDatabase() AND name = {table:String}`,
    { table },
  );
  return /TTL (.*?)(?: SETTINGS|$)/s.exec(row?.create ?? '')?.[1] ?? '';
}

beforeAll(async () => {
  store = await createChdbStore({ path: join(root, 'chdb') });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
}, 120_000);
afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('retention per kind of history', () => {
  it('sets the TTL of every table of a configured kind and leaves the others as their migration made them', async () => {
    const before = await ttlOf('directory_audits');
    const applied = await applyRetention(store, { signins: 30, deviceChanges: 90 });
    expect(applied).toEqual([
      { table: 'signins', days: 30 },
      { table: 'signins_by_user', days: 30 },
      { table: 'signins_hourly', days: 30 },
      { table: 'device_changes', days: 90 },
    ]);
    expect(await ttlOf('signins')).toMatch(/toIntervalDay\(30\)/);
    expect(await ttlOf('signins_hourly')).toMatch(/toIntervalDay\(30\)/);
    expect(await ttlOf('device_changes')).toMatch(/toIntervalDay\(90\)/);
    expect(await ttlOf('directory_audits')).toBe(before);
    // A later start with another value wins.
    await applyRetention(store, { signins: 45 });
    expect(await ttlOf('signins')).toMatch(/toIntervalDay\(45\)/);
  });

  it('names only tables that exist, with the column they are aged by', async () => {
    for (const tables of Object.values(RETENTION_TABLES)) {
      for (const [table, column] of tables) {
        const columns = await store.query<{ name: string }>(
          `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String}`,
          { table },
        );
        expect(
          columns.map((entry) => entry.name),
          table,
        ).toContain(column);
      }
    }
  });

  it('drops rows past the new age at the next merge', async () => {
    await applyRetention(store, { directoryAudits: 10 });
    const row = (eventId: string, ageDays: number): Record<string, unknown> => ({
      msp_id: 'm1',
      tenant_id: 't1',
      source: 'graph.directoryAudits',
      event_id: eventId,
      time: clickhouseTime(Date.now() - ageDays * DAY),
      ingest_time: clickhouseTime(Date.now()),
      raw: '{}',
    });
    await store.insert('directory_audits', [row('fresh', 2), row('old', 20)]);
    await store.command('OPTIMIZE TABLE directory_audits FINAL');
    const left = await store.query<{ event_id: string }>(`SELECT event_id FROM directory_audits ORDER BY event_id`);
    expect(left.map((entry) => entry.event_id)).toEqual(['fresh']);
  });

  it('refuses a retention that is not a whole number of days', async () => {
    await expect(applyRetention(store, { alerts: 0 })).rejects.toThrow(/alerts must be a whole number of days/);
  });
});
