import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MigrationError } from '../errors.ts';
import type { Migration } from '../port.ts';

const FILE_NAME = /^(\d{3,})_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;

/** Reads `NNN_name.sql` files from `dir`, sorted by NNN; refuses duplicate numbers and gaps. */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql'));
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new MigrationError(
        `migration file ${join(dir, file)} is not named NNN_name.sql (e.g. 001_create_signins.sql)`,
      );
    }
    const sql = await readFile(join(dir, file), 'utf8');
    migrations.push({ version: Number(match[1]), name: match[2]!, sql });
  }
  return checkNumbering(migrations, dir);
}

/** Sorts by version and throws when two share a number or a number is skipped, starting from 1. */
export function checkNumbering(migrations: readonly Migration[], where = 'the migration list'): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((migration, index) => {
    const previous = sorted[index - 1];
    if (previous && previous.version === migration.version) {
      throw new MigrationError(
        `duplicate migration number ${migration.version} in ${where}: ${migrationFileName(previous)} and ${migrationFileName(migration)}`,
      );
    }
    const expected = index + 1;
    if (migration.version !== expected) {
      throw new MigrationError(
        `gap in migration numbering in ${where}: expected ${String(expected).padStart(3, '0')}_*.sql before ${migrationFileName(migration)}`,
      );
    }
  });
  return sorted;
}

export function migrationFileName(migration: Pick<Migration, 'version' | 'name'>): string {
  return `${String(migration.version).padStart(3, '0')}_${migration.name}.sql`;
}

/** Line endings are normalised so a checkout on Windows does not look like an edited migration. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** Statements end with `;` at the end of a line; chunks holding only comments are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) =>
      statement.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('--')),
    );
}
