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

// Migration 007 (schemas/clickhouse/007_signins_by_user.sql): a user's history from signins_by_user.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');
const MINUTE = 60_000;
// Times relative to now: both tables drop rows older than 400 days on insert.
const start = Date.now() - 2 * 86_400_000;

const ALICE = 'alice@contoso.com';
const BOB = 'bob@contoso.com';
const COLUMNS = `time, event_id, tenant_id, user_name, status, status_code, app_name, src_ip, src_country, src_city,
  client_app, device_os, risk_level_during, conditional_access_status`;
const HISTORY = (table: string) => `
  SELECT ${COLUMNS} FROM ${table} FINAL
  WHERE msp_id = {msp:String} AND user_name = {user:String}
  ORDER BY time DESC, event_id DESC`;

/** A sign-in row as the sink writes it; `minute` places it after the start and names it. */
function row(user: string, minute: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const at = start + minute * MINUTE;
  return {
    msp_id: 'm1',
    tenant_id: user === BOB ? 't2' : 't1',
    source: 'graph',
    event_id: `${user}-${minute}`,
    time: clickhouseTime(at),
    ingest_time: clickhouseTime(at + MINUTE),
    user_uid: `uid-${user}`,
    user_name: user,
    is_interactive: true,
    status: minute % 3 === 0 ? 'failure' : 'success',
    status_code: minute % 3 === 0 ? 50126 : 0,
    app_name: minute % 2 === 0 ? 'Microsoft Teams' : null,
    src_ip: `203.0.113.${minute % 7}`,
    src_country: 'NL',
    src_city: minute % 2 === 0 ? 'Amsterdam' : null,
    client_app: 'Browser',
    is_legacy_auth: false,
    device_os: 'Windows10',
    risk_level_during: 'none',
    risk_event_types: [],
    conditional_access_status: 'success',
    user_agent: 'a user agent the history does not show',
    raw: '{}',
    ...overrides,
  };
}

const root = mkdtempSync(join(tmpdir(), 'nightjar-user-history-'));
let store: HistoryStore;
let migrations: Migration[];

beforeAll(async () => {
  store = await createChdbStore({ path: join(root, 'data') });
  // Up to 007: later migrations have tests of their own.
  migrations = (await loadMigrations(MIGRATIONS_DIR)).filter((migration) => migration.version <= 7);
  await migrate(
    store,
    migrations.filter((migration) => migration.version < 7),
  );
  // Written before the migration: the backfill copies them.
  await store.insert('signins', [...[1, 2, 3, 4].map((minute) => row(ALICE, minute)), row(BOB, 5)]);
  expect((await migrate(store, migrations)).applied.map((migration) => migration.version)).toEqual([7]);
  // Written after it: the view copies them.
  await store.insert('signins', [...[6, 7, 8].map((minute) => row(ALICE, minute)), row(BOB, 9)]);
});

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('migration 007: signins_by_user', () => {
  it('holds the history signins holds, rows written before the migration and after it', async () => {
    for (const user of [ALICE, BOB]) {
      const fromSignins = await store.query(HISTORY('signins'), { msp: 'm1', user });
      expect(await store.query(HISTORY('signins_by_user'), { msp: 'm1', user })).toEqual(fromSignins);
    }
    const alice = await store.query<{ event_id: string }>(HISTORY('signins_by_user'), { msp: 'm1', user: ALICE });
    expect(alice.map((signIn) => signIn.event_id)).toEqual([8, 7, 6, 4, 3, 2, 1].map((minute) => `${ALICE}-${minute}`));
  });

  it('shows a replayed sign-in once, as its latest ingest', async () => {
    await store.insert('signins', [
      row(ALICE, 2, { ingest_time: clickhouseTime(start + 60 * MINUTE), status: 'interrupted' }),
    ]);
    const fromSignins = await store.query(HISTORY('signins'), { msp: 'm1', user: ALICE });
    const history = await store.query<{ event_id: string; status: string }>(HISTORY('signins_by_user'), {
      msp: 'm1',
      user: ALICE,
    });
    expect(history).toEqual(fromSignins);
    expect(history.filter((signIn) => signIn.event_id === `${ALICE}-2`)).toMatchObject([{ status: 'interrupted' }]);
  });

  it('finds a history by (msp_id, user_name) with or without its tenant, in Compact parts', async () => {
    const plan = await explain(`EXPLAIN indexes = 1 ${HISTORY('signins_by_user')}`, { msp: 'm1', user: ALICE });
    expect(plan).toContain('ReadFromMergeTree (default.signins_by_user)');
    expect(plan).toMatch(/Keys:\s+msp_id\s+user_name/);
    const parts = await store.query<{ part_type: string }>(
      `SELECT DISTINCT part_type FROM system.parts
       WHERE database = currentDatabase() AND table = 'signins_by_user' AND active`,
    );
    expect(parts).toEqual([{ part_type: 'Compact' }]);
  });

  it('is harmless when its statements run again', async () => {
    const before = await store.query(HISTORY('signins_by_user'), { msp: 'm1', user: ALICE });
    const migration007 = migrations.find((migration) => migration.version === 7)!;
    for (const statement of splitStatements(migration007.sql)) await store.command(statement);
    expect(await store.query(HISTORY('signins_by_user'), { msp: 'm1', user: ALICE })).toEqual(before);
    await store.command('OPTIMIZE TABLE signins_by_user FINAL');
    const rows = await store.query<{ n: string }>(`SELECT toString(count()) AS n FROM signins_by_user`);
    expect(rows).toEqual([{ n: '9' }]);
  });
});

async function explain(sql: string, params: Record<string, unknown>): Promise<string> {
  const lines = await store.query<{ explain: string }>(sql, params);
  return lines.map((line) => line.explain).join('\n');
}
