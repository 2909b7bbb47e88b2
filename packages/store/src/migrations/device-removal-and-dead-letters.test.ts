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

// Migrations 008 (devices.removed) and 009 (dead_letter_records).
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');
// Both tables keep 90 days or more: times relative to now.
const now = Date.now();

const root = mkdtempSync(join(tmpdir(), 'nightjar-migrations-8-9-'));
let store: HistoryStore;
let migrations: Migration[];

function letter(offset: number, reason = 'not single-object encoded'): Record<string, unknown> {
  return {
    msp_id: 'm1',
    tenant_id: null,
    source: 'signins',
    stage: 'sink',
    reason,
    time: clickhouseTime(now - 3_600_000 + offset),
    payload: Buffer.from(`payload ${offset}`).toString('base64'),
    location: `signins/0/${offset}`,
  };
}

function device(time: number, removed?: boolean): Record<string, unknown> {
  return {
    msp_id: 'm1',
    tenant_id: 't1',
    source: 'graph.managedDevices',
    event_id: `laptop@${time}`,
    time: clickhouseTime(time),
    ingest_time: clickhouseTime(time),
    device_uid: 'laptop',
    compliance_state: 'compliant',
    raw: '{}',
    ...(removed === undefined ? {} : { removed, removed_time: clickhouseTime(time) }),
  };
}

const count = async (sql: string): Promise<string> =>
  (await store.query<{ n: string }>(`SELECT toString(count()) AS n FROM ${sql}`))[0]!.n;

const run = async (version: number): Promise<void> => {
  for (const statement of splitStatements(migrations.find((migration) => migration.version === version)!.sql))
    await store.command(statement);
};

beforeAll(async () => {
  store = await createChdbStore({ path: join(root, 'data') });
  migrations = (await loadMigrations(MIGRATIONS_DIR)).filter((migration) => migration.version <= 9);
  await migrate(
    store,
    migrations.filter((migration) => migration.version < 8),
  );
  // Letters written before 009, one of them twice as a replay left it.
  await store.insert('dead_letters', [letter(1), letter(2), letter(2)]);
  await store.insert('devices', [device(now - 86_400_000)]);
  expect((await migrate(store, migrations)).applied.map((migration) => migration.version)).toEqual([8, 9]);
});

afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('migration 008: devices.removed', () => {
  it('keeps devices written before it as not removed, and a newer removal replaces them', async () => {
    expect(await count('devices FINAL WHERE NOT removed')).toBe('1');
    await store.insert('devices', [device(now, true)]);
    expect(await count('devices FINAL WHERE NOT removed')).toBe('0');
    await store.insert('devices', [device(now + 1)]);
    expect(await count('devices FINAL WHERE NOT removed')).toBe('1');
  });

  it('is harmless when its statements run again', async () => {
    await run(8);
    expect(await count('devices FINAL WHERE NOT removed')).toBe('1');
  });
});

describe('migration 009: dead_letter_records', () => {
  it('copies the letters written before it, a replayed one once', async () => {
    expect(await count('dead_letter_records FINAL')).toBe('2');
  });

  it('keeps one row per letter when the same letters are written again', async () => {
    await store.insert('dead_letter_records', [letter(2), letter(3)]);
    await store.insert('dead_letter_records', [letter(3)]);
    expect(await count('dead_letter_records FINAL')).toBe('3');
    await store.command('OPTIMIZE TABLE dead_letter_records FINAL');
    expect(await count('dead_letter_records')).toBe('3');
  });

  it('keeps letters from different places apart, even with the same payload', async () => {
    await store.insert('dead_letter_records', [{ ...letter(3), location: 'signins/1/3' }]);
    expect(await count('dead_letter_records FINAL')).toBe('4');
  });

  it('is harmless when its statements run again', async () => {
    await run(9);
    expect(await count('dead_letter_records FINAL')).toBe('4');
  });
});
