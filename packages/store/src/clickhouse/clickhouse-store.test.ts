import { DependencyUnavailableError, Secret } from '@nightjar/core';
import { clickhouseUrl } from '@nightjar/testkit';
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../testing/index.ts';
import { createClickHouseStore } from './clickhouse-store.ts';

describe.skipIf(!clickhouseUrl())('ClickHouse over HTTP (NIGHTJAR_CLICKHOUSE_URL)', () => {
  // Credentials, when the server needs them, ride in the URL: http://user:password@host:8123.
  describeStoreContract('ClickHouse HTTP', async () => createClickHouseStore({ url: clickhouseUrl()! }));
});

describe('ClickHouse over HTTP, server unreachable', () => {
  it('rejects quickly with DependencyUnavailableError naming the host but not the credentials', async () => {
    const store = createClickHouseStore({
      url: 'http://nightjar:url-password@127.0.0.1:1',
      password: new Secret('option-password'),
      requestTimeoutMs: 2000,
    });
    const started = Date.now();
    try {
      const failure = store.query('SELECT 1');
      await expect(failure).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(failure).rejects.toMatchObject({ code: 'NJ_CLICKHOUSE_UNAVAILABLE', retryable: true });
      const message = await failure.catch((error: Error) => error.message);
      expect(message).toContain('ClickHouse at http://127.0.0.1:1 is unreachable');
      expect(message).not.toMatch(/password|nightjar@/);
      await expect(store.command('SELECT 1')).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(store.insert('events', [{ id: 1 }])).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(await store.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await store.close();
    }
  });
});
