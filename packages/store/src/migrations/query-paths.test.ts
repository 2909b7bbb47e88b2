import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChdbStore } from '../chdb/chdb-store.ts';
import type { HistoryStore, Migration } from '../port.ts';
import { migrate } from './migrate.ts';
import { loadMigrations, splitStatements } from './migration-files.ts';
import { clickhouseTime } from '../time.ts';

// Migration 003 (schemas/clickhouse/003_signin_query_paths.sql): the IP projection and the hourly aggregate.
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');
const IP_SHARED = '203.0.113.7';
const IP_OTHER = '198.51.100.20';

// Times relative to now: signins drops rows older than 400 days on insert.
const hourA = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
const hourB = hourA + 3_600_000;
const MINUTE = 60_000;

interface SignIn {
  msp: string;
  tenant: string;
  user: string;
  id: string;
  at: number;
  ip: string;
  status: 'success' | 'failure';
  code: number;
  country: string;
  ingestedLater?: boolean;
}

/** A row as the sink's toRow writes it: times as UTC DateTime64 text. */
function row(signIn: SignIn): Record<string, unknown> {
  return {
    msp_id: signIn.msp,
    tenant_id: signIn.tenant,
    source: 'graph',
    event_id: signIn.id,
    time: clickhouseTime(signIn.at),
    ingest_time: clickhouseTime(signIn.at + (signIn.ingestedLater ? 30 : 1) * MINUTE),
    user_uid: `uid-${signIn.user}`,
    user_name: signIn.user,
    is_interactive: true,
    status: signIn.status,
    status_code: signIn.code,
    src_ip: signIn.ip,
    src_country: signIn.country,
    is_legacy_auth: false,
    risk_event_types: [],
    raw: JSON.stringify({ id: signIn.id }),
  };
}

function hourText(epochMs: number): string {
  return clickhouseTime(epochMs).slice(0, 19);
}

const ALICE = 'alice@contoso.com';
const BOB = 'bob@contoso.com';
const CAROL = 'carol@fabrikam.com';
const signIns: SignIn[] = [
  {
    msp: 'm1',
    tenant: 't1',
    user: ALICE,
    id: 'e1',
    at: hourA + 5 * MINUTE,
    ip: IP_SHARED,
    status: 'failure',
    code: 50126,
    country: 'NL',
  },
  {
    msp: 'm1',
    tenant: 't1',
    user: ALICE,
    id: 'e2',
    at: hourA + 6 * MINUTE,
    ip: IP_SHARED,
    status: 'failure',
    code: 50126,
    country: 'NL',
  },
  {
    msp: 'm1',
    tenant: 't1',
    user: BOB,
    id: 'e3',
    at: hourA + 7 * MINUTE,
    ip: IP_OTHER,
    status: 'success',
    code: 0,
    country: 'NL',
  },
  {
    msp: 'm1',
    tenant: 't2',
    user: CAROL,
    id: 'e4',
    at: hourB + 1 * MINUTE,
    ip: IP_SHARED,
    status: 'failure',
    code: 50053,
    country: 'US',
  },
  {
    msp: 'm1',
    tenant: 't2',
    user: CAROL,
    id: 'e5',
    at: hourB + 9 * MINUTE,
    ip: IP_SHARED,
    status: 'success',
    code: 0,
    country: 'US',
  },
  // Another MSP's sign-in from the same address never shows in m1's pivot.
  {
    msp: 'm2',
    tenant: 't9',
    user: 'dave@other.org',
    id: 'e6',
    at: hourB,
    ip: IP_SHARED,
    status: 'failure',
    code: 50126,
    country: 'US',
  },
];
// A replayed message: the same event id, written again by a later insert.
const replay: SignIn = { ...signIns[0]!, ingestedLater: true };

const IP_QUERY = `
  SELECT tenant_id, user_name, event_id, status, status_code
  FROM signins
  WHERE msp_id = {msp:String} AND src_ip_address = toIPv6({ip:String}) AND time >= now() - INTERVAL 30 DAY
  ORDER BY time DESC, event_id
  LIMIT 1 BY event_id
  LIMIT 500`;
const FAILURES_QUERY = IP_QUERY.replace('AND time >=', "AND status = 'failure' AND time >=");

const HOURLY_QUERY = `
  SELECT tenant_id, toString(hour) AS hour, status, src_country,
         toUInt32(uniqExactMerge(sign_ins)) AS sign_ins, toUInt32(uniqMerge(users)) AS users
  FROM signins_hourly
  WHERE msp_id = {msp:String}
  GROUP BY tenant_id, hour, status, src_country
  ORDER BY tenant_id, hour, status, src_country`;

const expectedHourly = [
  { tenant_id: 't1', hour: hourText(hourA), status: 'failure', src_country: 'NL', sign_ins: 2, users: 1 },
  { tenant_id: 't1', hour: hourText(hourA), status: 'success', src_country: 'NL', sign_ins: 1, users: 1 },
  { tenant_id: 't2', hour: hourText(hourB), status: 'failure', src_country: 'US', sign_ins: 1, users: 1 },
  { tenant_id: 't2', hour: hourText(hourB), status: 'success', src_country: 'US', sign_ins: 1, users: 1 },
];

const root = mkdtempSync(join(tmpdir(), 'nightjar-query-paths-'));
let store: HistoryStore;
let migrations: Migration[];

beforeAll(async () => {
  store = await createChdbStore({ path: join(root, 'data') });
  migrations = (await loadMigrations(MIGRATIONS_DIR)).filter((migration) => migration.version <= 3);
  const result = await migrate(store, migrations);
  expect(result.applied.map((migration) => migration.version)).toEqual([1, 2, 3]);
  await store.insert('signins', signIns.map(row));
  await store.insert('signins', [row(replay)]);
});

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('migration 003: IP pivot projection', () => {
  it('finds every sign-in of one MSP from an address, across tenants, each event once', async () => {
    expect(await store.query(IP_QUERY, { msp: 'm1', ip: IP_SHARED })).toEqual([
      { tenant_id: 't2', user_name: CAROL, event_id: 'e5', status: 'success', status_code: 0 },
      { tenant_id: 't2', user_name: CAROL, event_id: 'e4', status: 'failure', status_code: 50053 },
      { tenant_id: 't1', user_name: ALICE, event_id: 'e2', status: 'failure', status_code: 50126 },
      { tenant_id: 't1', user_name: ALICE, event_id: 'e1', status: 'failure', status_code: 50126 },
    ]);
    expect(await store.query(FAILURES_QUERY, { msp: 'm1', ip: IP_SHARED })).toEqual([
      { tenant_id: 't2', user_name: CAROL, event_id: 'e4', status: 'failure', status_code: 50053 },
      { tenant_id: 't1', user_name: ALICE, event_id: 'e2', status: 'failure', status_code: 50126 },
      { tenant_id: 't1', user_name: ALICE, event_id: 'e1', status: 'failure', status_code: 50126 },
    ]);
    expect(await store.query(IP_QUERY, { msp: 'm1', ip: IP_OTHER })).toEqual([
      { tenant_id: 't1', user_name: BOB, event_id: 'e3', status: 'success', status_code: 0 },
    ]);
  });

  it('reads the projection, searching its (msp_id, src_ip_address) key', async () => {
    const plan = await explain(`EXPLAIN indexes = 1 ${FAILURES_QUERY}`, { msp: 'm1', ip: IP_SHARED });
    expect(plan).toContain('ReadFromMergeTree (signins_by_ip)');
    expect(plan).toMatch(/Keys:\s+msp_id\s+src_ip_address/);
    expect(await explain(`EXPLAIN projections = 1 ${IP_QUERY}`, { msp: 'm1', ip: IP_SHARED })).toContain(
      'ReadFromMergeTree (signins_by_ip)',
    );
  });

  it("keeps a user's history on the table's own order", async () => {
    const plan = await explain(
      `EXPLAIN indexes = 1 SELECT event_id FROM signins
       WHERE msp_id = 'm1' AND tenant_id = 't1' AND user_name = {user:String} ORDER BY time DESC LIMIT 500`,
      { user: ALICE },
    );
    expect(plan).toContain('ReadFromMergeTree (default.signins)');
    expect(plan).not.toContain('signins_by_ip');
  });
});

describe('migration 003: hourly sign-ins', () => {
  it('counts sign-ins and distinct users per tenant, hour, status and country, a replay once', async () => {
    expect(await store.query(HOURLY_QUERY, { msp: 'm1' })).toEqual(expectedHourly);
    expect(await store.query(HOURLY_QUERY, { msp: 'm2' })).toEqual([
      { tenant_id: 't9', hour: hourText(hourB), status: 'failure', src_country: 'US', sign_ins: 1, users: 1 },
    ]);
  });
});

describe('migration 003: applying again', () => {
  it('is a no-op through migrate and harmless when its statements run again', async () => {
    expect((await migrate(store, migrations)).applied).toEqual([]);

    const migration003 = migrations.find((migration) => migration.version === 3)!;
    for (const statement of splitStatements(migration003.sql)) await store.command(statement);

    expect(await store.query(HOURLY_QUERY, { msp: 'm1' })).toEqual(expectedHourly);
    expect(await store.query(FAILURES_QUERY, { msp: 'm1', ip: IP_SHARED })).toHaveLength(3);
    expect(
      await store.query(`SELECT name FROM system.projections WHERE database = currentDatabase() AND table = 'signins'`),
    ).toEqual([{ name: 'signins_by_ip' }]);
  });
});

async function explain(sql: string, params: Record<string, unknown>): Promise<string> {
  const lines = await store.query<{ explain: string }>(sql, params);
  return lines.map((line) => line.explain).join('\n');
}
