import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { errorMessage } from '@nightjar/core';
import { createClientStore } from '../client-store.ts';
import { StoreLockedError } from '../errors.ts';
import type { HistoryStore } from '../port.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export interface ChdbStoreOptions {
  /** Data directory; created when missing. One process owns it at a time. */
  readonly path: string;
}

/**
 * ClickHouse's engine in this process. chDB binds one data directory per
 * process for the life of the process, and ClickHouse locks `<path>/status`,
 * so a second process (or a second directory here) cannot open a store.
 */
export async function createChdbStore(options: ChdbStoreOptions): Promise<HistoryStore> {
  const path = resolve(options.path);
  await mkdir(path, { recursive: true });
  let connection;
  try {
    connection = createChdbConnection({ path });
  } catch (error) {
    throw await explainOpenFailure(path, error);
  }
  // chdb types its connection against @clickhouse/client-common 1.23.0, the client bundles its own copy.
  const client = createClient({ connection: connection as unknown as ClientConnection });
  return createClientStore(client, {
    kind: 'chdb',
    target: `chDB at ${path}`,
    // chDB turns settings into session-wide SETs, so a token would stick to every later insert.
    writeSettings: { insert_deduplication_token: '' },
  });
}

async function explainOpenFailure(path: string, error: unknown): Promise<Error> {
  const message = errorMessage(error);
  if (message.includes('only one active data directory per process')) {
    return new StoreLockedError(
      path,
      `cannot open chDB at ${path}: this process already bound another chDB data directory (${message})`,
      { cause: error },
    );
  }
  const owner = await statusFileOwner(path);
  if (owner !== undefined) {
    return new StoreLockedError(
      path,
      `chDB data directory ${path} is locked by another process (pid ${owner}): one process owns a data directory, ` +
        'so stop that process or run this role inside it',
      { cause: error, details: { pid: owner } },
    );
  }
  return error instanceof Error ? error : new Error(message);
}

/** ClickHouse writes its pid into `status` while it holds the lock and removes the file on close. */
async function statusFileOwner(path: string): Promise<number | undefined> {
  const status = await readFile(resolve(path, 'status'), 'utf8').catch(() => '');
  const pid = /^PID:\s*(\d+)/m.exec(status)?.[1];
  if (pid === undefined || Number(pid) === process.pid) return undefined;
  try {
    process.kill(Number(pid), 0);
    return Number(pid);
  } catch (error) {
    // EPERM: alive but owned by another user, which still holds the lock.
    return (error as { code?: string }).code === 'EPERM' ? Number(pid) : undefined;
  }
}
