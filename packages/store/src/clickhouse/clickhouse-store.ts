import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { Secret } from '@nightjar/core';
import { createClientStore } from '../client-store.ts';
import type { HistoryStore } from '../port.ts';

export interface ClickHouseStoreOptions {
  /** HTTP(S) endpoint, e.g. http://clickhouse:8123. */
  readonly url: string;
  readonly username?: string;
  readonly password?: Secret;
  readonly database?: string;
  readonly requestTimeoutMs?: number;
}

/** A ClickHouse server over HTTP; distributed mode's history store. */
export function createClickHouseStore(options: ClickHouseStoreOptions): HistoryStore {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const url = new URL(options.url);
  const username = options.username ?? (decodeURIComponent(url.username) || undefined);
  const password = options.password?.reveal() ?? (decodeURIComponent(url.password) || undefined);
  url.username = '';
  url.password = '';
  const client = createClient({
    url: url.toString(),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    request_timeout: requestTimeoutMs,
    application: 'nightjar',
    // Failures reach the caller as typed errors and are logged there, once.
    log: { level: ClickHouseLogLevel.OFF },
  });
  return createClientStore(client, {
    kind: 'clickhouse',
    target: `ClickHouse at ${url.origin}`,
    progressIntervalMs: Math.max(100, Math.floor(requestTimeoutMs / 3)),
  });
}
