import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreQueryError } from '../errors.ts';
import type { HistoryStore } from '../port.ts';
import { describeMigrationContract } from './contract-migrations.ts';
import { testDatabases } from './databases.ts';

/** The behaviour every HistoryStore adapter must show; run it once per adapter. */
export function describeStoreContract(name: string, makeStore: () => Promise<HistoryStore>): void {
  describe(`HistoryStore contract: ${name}`, () => {
    let store: HistoryStore;
    const databases = testDatabases(() => store);
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await databases.dropAll();
      await store.close();
    });

    const signinsTable = async (): Promise<string> => {
      const table = `${await databases.create('nj_signins')}.signins`;
      await store.command(
        `CREATE TABLE ${table} (
           id UInt32, at DateTime64(3, 'UTC'), tenant LowCardinality(String), ip IPv6,
           labels Map(String, String), country Nullable(String), groups Array(String), upn String
         ) ENGINE = MergeTree ORDER BY id`,
      );
      await store.insert(table, [
        {
          id: 1,
          at: '2024-05-01 10:00:00.123',
          tenant: 'contoso',
          ip: '::ffff:10.0.0.1',
          labels: { app: 'outlook' },
          country: null,
          groups: [],
          upn: "o'brien",
        },
        {
          id: 2,
          at: '2024-05-01 11:30:00.456',
          tenant: 'fabrikam',
          ip: '2001:db8::1',
          labels: {},
          country: 'NL',
          groups: ['admins', 'sales'],
          upn: 'ann',
        },
        {
          id: 3,
          at: '2024-05-02 09:00:00.000',
          tenant: 'contoso',
          ip: '2001:db8::2',
          labels: { app: 'teams', os: 'ios' },
          country: 'DE',
          groups: ['sales'],
          upn: 'bob',
        },
      ]);
      return table;
    };

    it('answers a ping', async () => {
      expect(await store.ping()).toBe(true);
      expect(['clickhouse', 'chdb']).toContain(store.kind);
    });

    it('round-trips DateTime64(3), LowCardinality, IPv6, Map, Nullable and Array columns', async () => {
      const table = await signinsTable();
      const rows = await store.query(`SELECT id, at, tenant, ip, labels, country, groups FROM ${table} ORDER BY id`);
      expect(rows).toEqual([
        {
          id: 1,
          at: '2024-05-01 10:00:00.123',
          tenant: 'contoso',
          ip: '::ffff:10.0.0.1',
          labels: { app: 'outlook' },
          country: null,
          groups: [],
        },
        {
          id: 2,
          at: '2024-05-01 11:30:00.456',
          tenant: 'fabrikam',
          ip: '2001:db8::1',
          labels: {},
          country: 'NL',
          groups: ['admins', 'sales'],
        },
        {
          id: 3,
          at: '2024-05-02 09:00:00.000',
          tenant: 'contoso',
          ip: '2001:db8::2',
          labels: { app: 'teams', os: 'ios' },
          country: 'DE',
          groups: ['sales'],
        },
      ]);
    });

    it('binds typed parameters: arrays and a DateTime64 range', async () => {
      const table = await signinsTable();
      const rows = await store.query<{ id: number }>(
        `SELECT id FROM ${table}
         WHERE tenant IN {tenants:Array(String)} AND at >= {from:DateTime64(3)} AND at < {to:DateTime64(3)}
           AND hasAny(groups, {groups:Array(String)}) ORDER BY id`,
        {
          tenants: ['contoso', 'fabrikam'],
          from: '2024-05-01 10:00:00.124',
          to: '2024-05-02 09:00:00.001',
          groups: ['sales'],
        },
      );
      expect(rows).toEqual([{ id: 2 }, { id: 3 }]);
    });

    it('treats a parameter holding a quote as a value, never as SQL', async () => {
      const table = await signinsTable();
      const injected = await store.query(`SELECT id FROM ${table} WHERE upn = {upn:String}`, { upn: "x' OR '1'='1" });
      expect(injected).toEqual([]);
      const quoted = await store.query(`SELECT id FROM ${table} WHERE upn = {upn:String}`, { upn: "o'brien" });
      expect(quoted).toEqual([{ id: 1 }]);
    });

    it('returns 64-bit integers as strings so values above 2^53 stay exact', async () => {
      expect(await store.query('SELECT toUInt64(9007199254740993) AS big, toUInt32(7) AS small')).toEqual([
        { big: '9007199254740993', small: 7 },
      ]);
    });

    it('keeps the latest version per key of a ReplacingMergeTree when read with FINAL', async () => {
      const table = `${await databases.create('nj_alerts')}.alerts`;
      await store.command(
        `CREATE TABLE ${table} (id String, status String, version UInt32) ENGINE = ReplacingMergeTree(version) ORDER BY id`,
      );
      await store.insert(table, [
        { id: 'a1', status: 'new', version: 1 },
        { id: 'a2', status: 'new', version: 1 },
      ]);
      await store.insert(table, [{ id: 'a1', status: 'closed', version: 2 }]);
      expect(await store.query(`SELECT count() AS n FROM ${table}`)).toEqual([{ n: '3' }]);
      expect(await store.query(`SELECT id, status FROM ${table} FINAL ORDER BY id`)).toEqual([
        { id: 'a1', status: 'closed' },
        { id: 'a2', status: 'new' },
      ]);
    });

    it('drops a retried insert with the same deduplication token, and only that one', async () => {
      const table = `${await databases.create('nj_dedup')}.events`;
      await store.command(
        `CREATE TABLE ${table} (id UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`,
      );
      await store.insert(table, [{ id: 1 }], { deduplicationToken: 'batch-1' });
      await store.insert(table, [{ id: 1 }], { deduplicationToken: 'batch-1' });
      await store.insert(table, [{ id: 2 }]);
      expect(await store.query(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
    });

    it('runs a statement marked long-running like any other', async () => {
      const database = await databases.create('nj_long');
      const table = `${database}.copied`;
      await store.command(`CREATE TABLE ${table} (n UInt64) ENGINE = MergeTree ORDER BY n`);
      await store.command(
        `INSERT INTO ${table} SELECT number FROM numbers({rows:UInt32})`,
        { rows: 1000 },
        {
          longRunning: true,
        },
      );
      expect(await store.query(`SELECT toString(count()) AS rows FROM ${table}`)).toEqual([{ rows: '1000' }]);
    });

    it("rejects a bad statement with ClickHouse's own message", async () => {
      const database = await databases.create('nj_errors');
      const failure = store.query(`SELECT * FROM ${database}.missing_table`);
      await expect(failure).rejects.toBeInstanceOf(StoreQueryError);
      await expect(failure).rejects.toThrow(/missing_table/);
    });

    describeMigrationContract(() => store, databases);
  });
}
