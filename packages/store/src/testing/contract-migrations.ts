import { describe, expect, it } from 'vitest';
import { MigrationError } from '../errors.ts';
import { migrate } from '../migrations/migrate.ts';
import type { CommandOptions, HistoryStore, Migration } from '../port.ts';
import type { testDatabases } from './databases.ts';

function migrationsFor(database: string): Migration[] {
  return [
    {
      version: 1,
      name: 'create_signins',
      sql: `-- first table; its seed row proves statements run once
CREATE TABLE ${database}.signins (id UInt32, note String) ENGINE = MergeTree ORDER BY id;
INSERT INTO ${database}.signins VALUES (1, 'semi;colon inside a value');
`,
    },
    {
      version: 2,
      name: 'add_country',
      sql: `ALTER TABLE ${database}.signins ADD COLUMN country LowCardinality(String);\n`,
    },
  ];
}

export function describeMigrationContract(
  store: () => HistoryStore,
  databases: ReturnType<typeof testDatabases>,
): void {
  describe('migrate', () => {
    const applied = (database: string) =>
      store().query<{ version: number; name: string }>(
        `SELECT version, name FROM ${database}.schema_migrations FINAL ORDER BY version`,
      );

    it('applies pending migrations in order and records them in schema_migrations', async () => {
      const database = await databases.create('nj_migrate');
      const result = await migrate(store(), migrationsFor(database), { database });
      expect(result.applied.map((migration) => migration.version)).toEqual([1, 2]);
      expect(await applied(database)).toEqual([
        { version: 1, name: 'create_signins' },
        { version: 2, name: 'add_country' },
      ]);
      expect(await store().query(`SELECT id, note, country FROM ${database}.signins`)).toEqual([
        { id: 1, note: 'semi;colon inside a value', country: '' },
      ]);
    });

    it('sends every migration statement as long-running, so a backfill may outlast the request timeout', async () => {
      const database = await databases.create('nj_migrate');
      const sent: Array<{ sql: string; options: CommandOptions | undefined }> = [];
      const inner = store();
      const observed: HistoryStore = {
        ...inner,
        kind: inner.kind,
        command: (sql, params, options) => {
          sent.push({ sql, options });
          return inner.command(sql, params, options);
        },
        query: (sql, params) => inner.query(sql, params),
      };
      await migrate(observed, migrationsFor(database), { database });
      const statements = sent.filter(({ sql }) => sql.includes(`${database}.signins`));
      expect(statements.map(({ sql }) => /CREATE TABLE|INSERT INTO|ALTER TABLE/.exec(sql)?.[0])).toEqual([
        'CREATE TABLE',
        'INSERT INTO',
        'ALTER TABLE',
      ]);
      expect(statements.every(({ options }) => options?.longRunning === true)).toBe(true);
    });

    it('does nothing when run again', async () => {
      const database = await databases.create('nj_migrate');
      await migrate(store(), migrationsFor(database), { database });
      const again = await migrate(store(), migrationsFor(database), { database });
      expect(again.applied).toEqual([]);
      expect(await store().query(`SELECT count() AS n FROM ${database}.signins`)).toEqual([{ n: '1' }]);
    });

    it('applies only the new migration when one is added', async () => {
      const database = await databases.create('nj_migrate');
      await migrate(store(), migrationsFor(database), { database });
      const added: Migration = {
        version: 3,
        name: 'add_city',
        sql: `ALTER TABLE ${database}.signins ADD COLUMN city String;`,
      };
      const logged: unknown[] = [];
      const result = await migrate(store(), [...migrationsFor(database), added], {
        database,
        logger: { info: (fields) => logged.push(fields) },
      });
      expect(result.applied).toEqual([added]);
      expect(logged).toEqual([{ version: 3, migration: '003_add_city.sql' }]);
      expect((await applied(database)).map((row) => row.version)).toEqual([1, 2, 3]);
    });

    it('refuses to run when an applied migration was edited, naming the file', async () => {
      const database = await databases.create('nj_migrate');
      await migrate(store(), migrationsFor(database), { database });
      const [first, second] = migrationsFor(database);
      const edited = { ...second!, sql: second!.sql.replace('LowCardinality(String)', 'String') };
      const added: Migration = {
        version: 3,
        name: 'add_city',
        sql: `ALTER TABLE ${database}.signins ADD COLUMN city String;`,
      };
      const failure = migrate(store(), [first!, edited, added], { database });
      await expect(failure).rejects.toBeInstanceOf(MigrationError);
      await expect(failure).rejects.toThrow(/002_add_country\.sql was changed after it was applied/);
      expect((await applied(database)).map((row) => row.version)).toEqual([1, 2]);
    });

    it('names the file and statement when a migration fails', async () => {
      const database = await databases.create('nj_migrate');
      const broken: Migration = {
        version: 1,
        name: 'broken',
        sql: `CREATE DATABASE IF NOT EXISTS ${database};\nSELEC 1;\n`,
      };
      await expect(migrate(store(), [broken], { database })).rejects.toThrow(
        /001_broken\.sql failed at statement 2 of 2/,
      );
      expect(await applied(database)).toEqual([]);
    });
  });
}
