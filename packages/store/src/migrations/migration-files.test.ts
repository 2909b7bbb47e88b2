import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../errors.ts';
import { loadMigrations, migrationChecksum, splitStatements } from './migration-files.ts';

const dirs: string[] = [];
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nightjar-migrations-'));
  dirs.push(dir);
  await Promise.all(Object.entries(files).map(([name, sql]) => writeFile(join(dir, name), sql)));
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('loadMigrations', () => {
  it('reads NNN_name.sql files sorted by number and ignores other files', async () => {
    const dir = await migrationsDir({
      '010_ten.sql': 'SELECT 10;',
      '002_two.sql': 'SELECT 2;',
      '001_create_signins.sql': 'SELECT 1;',
      'README.md': '# not a migration',
      ...Object.fromEntries([3, 4, 5, 6, 7, 8, 9].map((n) => [`00${n}_step.sql`, `SELECT ${n};`])),
    });
    const migrations = await loadMigrations(dir);
    expect(migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(migrations[0]).toEqual({ version: 1, name: 'create_signins', sql: 'SELECT 1;' });
  });

  it.each([
    [{ '001_a.sql': '', '001_b.sql': '' }, /duplicate migration number 1 in .*: 001_a\.sql and 001_b\.sql/],
    [{ '001_a.sql': '', '003_c.sql': '' }, /gap in migration numbering in .*: expected 002_\*\.sql before 003_c\.sql/],
    [{ '002_b.sql': '' }, /expected 001_\*\.sql before 002_b\.sql/],
    [{ '001_a.sql': '', 'create_b.sql': '' }, /create_b\.sql is not named NNN_name\.sql/],
  ])('refuses %o', async (files, message) => {
    const failure = loadMigrations(await migrationsDir(files));
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(message);
  });
});

describe('splitStatements', () => {
  it('splits on semicolons at line ends only and drops comment-only chunks', () => {
    const sql = [
      '-- signins table',
      'CREATE TABLE t (note String) ENGINE = Memory;',
      "INSERT INTO t VALUES ('a;b'), ('c');   ",
      '-- a comment ending in a semicolon is a chunk of its own;',
      'SELECT 1',
    ].join('\r\n');
    expect(splitStatements(sql)).toEqual([
      '-- signins table\r\nCREATE TABLE t (note String) ENGINE = Memory',
      "INSERT INTO t VALUES ('a;b'), ('c')",
      'SELECT 1',
    ]);
  });
});

describe('migrationChecksum', () => {
  it('ignores line-ending style but not content', () => {
    expect(migrationChecksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(migrationChecksum('SELECT 1;\nSELECT 2;\n'));
    expect(migrationChecksum('SELECT 1;')).not.toBe(migrationChecksum('SELECT 2;'));
  });
});
