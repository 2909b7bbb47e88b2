import { errorMessage } from '@nightjar/core';
import { MigrationError } from '../errors.ts';
import type { HistoryStore, Migration } from '../port.ts';
import { checkNumbering, migrationChecksum, migrationFileName, splitStatements } from './migration-files.ts';

export interface MigrationLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

export interface MigrateOptions {
  readonly logger?: MigrationLogger;
  /** Database holding `schema_migrations`; defaults to the connection's database. */
  readonly database?: string;
}

export interface MigrateResult {
  readonly applied: readonly Migration[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in version
 * order. ClickHouse has no transactional DDL, so a migration that fails half
 * way stays half applied: write statements that can run again (IF NOT EXISTS).
 * Two processes migrating at once may both apply a migration; the same
 * property makes that harmless and ReplacingMergeTree folds the duplicate row.
 */
export async function migrate(
  store: HistoryStore,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const ordered = checkNumbering(migrations);
  const table = migrationsTable(options.database);
  await store.command(
    `CREATE TABLE IF NOT EXISTS ${table} (version UInt32, name String, checksum String, applied_at DateTime64(3))
     ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
  );
  const rows = await store.query<AppliedRow>(`SELECT version, name, checksum FROM ${table} FINAL ORDER BY version`);
  const applied = new Map(rows.map((row) => [Number(row.version), row]));

  const pending: Migration[] = [];
  for (const migration of ordered) {
    const recorded = applied.get(migration.version);
    if (!recorded) {
      pending.push(migration);
    } else if (recorded.checksum !== migrationChecksum(migration.sql)) {
      throw new MigrationError(
        `migration ${migrationFileName(migration)} was changed after it was applied (checksum differs from the one recorded ` +
          `in ${table}); add a new migration instead of editing an applied one`,
        { details: { version: migration.version, recorded: recorded.checksum } },
      );
    }
  }

  for (const migration of pending) {
    await apply(store, table, migration);
    options.logger?.info({ version: migration.version, migration: migrationFileName(migration) }, 'migration applied');
  }
  return { applied: pending };
}

async function apply(store: HistoryStore, table: string, migration: Migration): Promise<void> {
  const statements = splitStatements(migration.sql);
  for (const [index, statement] of statements.entries()) {
    try {
      // A backfill (INSERT … SELECT over the history) may outlast the request timeout.
      await store.command(statement, {}, { longRunning: true });
    } catch (error) {
      throw new MigrationError(
        `migration ${migrationFileName(migration)} failed at statement ${index + 1} of ${statements.length}: ${errorMessage(error)}`,
        { cause: error, retryable: (error as { retryable?: unknown }).retryable === true },
      );
    }
  }
  // INSERT … SELECT, because older servers do not substitute parameters inside VALUES.
  await store.command(
    `INSERT INTO ${table} (version, name, checksum, applied_at) SELECT {version:UInt32}, {name:String}, {checksum:String}, now64(3)`,
    { version: migration.version, name: migration.name, checksum: migrationChecksum(migration.sql) },
  );
}

function migrationsTable(database: string | undefined): string {
  if (database === undefined) return 'schema_migrations';
  if (!IDENTIFIER.test(database)) throw new MigrationError(`invalid database name for schema_migrations: ${database}`);
  return `${database}.schema_migrations`;
}
