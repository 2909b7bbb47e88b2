import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChdbStore } from '../chdb/chdb-store.ts';
import type { HistoryStore, Migration } from '../port.ts';
import { clickhouseTime } from '../time.ts';
import { migrate } from './migrate.ts';
import { loadMigrations, splitStatements } from './migration-files.ts';

// Migration 010 (feed_health).
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');
// The table keeps 90 days: times relative to now.
const now = Date.now();

const root = mkdtempSync(join(tmpdir(), 'nightjar-migrations-10-'));
let store: HistoryStore;
let migrations: Migration[];

function report(feed: string, at: number, status: string): Record<string, unknown> {
  return {
    msp_id: 'm1',
    tenant_id: 't1',
    source: 'collector',
    event_id: `m1/t1/${feed}@${at}`,
    time: clickhouseTime(at),
    ingest_time: clickhouseTime(at),
    feed,
    status,
    last_success_time: null,
    last_attempt_time: clickhouseTime(at),
    last_error_code: status === 'ok' ? null : 'NJ_MS_NO_P1',
    last_error: status === 'ok' ? null : 'tenant has no Entra ID P1 licence: sign-in logs unavailable',
    consecutive_failures: status === 'ok' ? 0 : 1,
    caught_up: false,
    read_through_time: null,
  };
}

const current = async (): Promise<Record<string, string>> =>
  Object.fromEntries(
    (
      await store.query<{ feed: string; status: string }>(
        "SELECT feed, status FROM feed_health FINAL WHERE msp_id = 'm1' ORDER BY feed",
      )
    ).map((row) => [row.feed, row.status]),
  );

beforeAll(async () => {
  store = await createChdbStore({ path: join(root, 'data') });
  migrations = (await loadMigrations(MIGRATIONS_DIR)).filter((migration) => migration.version <= 10);
  await migrate(
    store,
    migrations.filter((migration) => migration.version < 10),
  );
  expect((await migrate(store, migrations)).applied.map((migration) => migration.version)).toEqual([10]);
});

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('migration 010: feed_health', () => {
  it('holds the newest report per tenant and feed, whatever order the reports arrive in', async () => {
    await store.insert('feed_health', [report('signins', now - 60_000, 'failing'), report('users', now, 'ok')]);
    await store.insert('feed_health', [report('signins', now, 'unavailable')]);
    // A report delayed behind a newer one (a retried publish) must not bring back the older status.
    await store.insert('feed_health', [report('signins', now - 30_000, 'ok')]);
    expect(await current()).toEqual({ signins: 'unavailable', users: 'ok' });
  });

  it('keeps one row per feed when the same reports are written again, before and after merges', async () => {
    await store.insert('feed_health', [report('signins', now, 'unavailable'), report('users', now, 'ok')]);
    expect(await current()).toEqual({ signins: 'unavailable', users: 'ok' });
    await store.command('OPTIMIZE TABLE feed_health FINAL');
    const [rows] = await store.query<{ n: string }>('SELECT toString(count()) AS n FROM feed_health');
    expect(rows!.n).toBe('2');
  });

  it('is harmless when its statements run again', async () => {
    for (const statement of splitStatements(migrations.find((migration) => migration.version === 10)!.sql))
      await store.command(statement);
    expect(await current()).toEqual({ signins: 'unavailable', users: 'ok' });
  });
});
