import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreLockedError } from '../errors.ts';
import type { HistoryStore } from '../port.ts';
import { createChdbStore } from './chdb-store.ts';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = resolve(here, '../..');

function openInChildProcess(path: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(here, 'open-store.fixture.ts'), path],
      { cwd: packageDir, timeout: 30_000 },
      (error, stdout, stderr) => {
        done({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('chDB data directory ownership', () => {
  const root = mkdtempSync(join(tmpdir(), 'nightjar-chdb-lock-'));
  const path = join(root, 'data');
  let store: HistoryStore | undefined;

  beforeAll(async () => {
    store = await createChdbStore({ path });
    await store.command('CREATE TABLE IF NOT EXISTS default.owned (id UInt8) ENGINE = MergeTree ORDER BY id');
  });
  afterAll(async () => {
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a second process with a message naming the owner', async () => {
    const child = await openInChildProcess(path);
    expect(child.exitCode).toBe(1);
    expect(child.stdout).not.toContain('opened');
    expect(child.stderr).toContain(
      `NJ_STORE_LOCKED: chDB data directory ${path} is locked by another process (pid ${process.pid}): one process owns a data directory`,
    );
  });

  it('refuses a second data directory in the same process', async () => {
    const other = createChdbStore({ path: join(root, 'other') });
    await expect(other).rejects.toBeInstanceOf(StoreLockedError);
    await expect(other).rejects.toThrow(/already bound another chDB data directory/);
  });

  it('lets another process open the directory once the owner closed it', async () => {
    await store!.close();
    store = undefined;
    const child = await openInChildProcess(path);
    expect(child.stderr).not.toContain('NJ_STORE_LOCKED');
    expect(child).toMatchObject({ exitCode: 0, stdout: 'opened\n' });
  });
});
