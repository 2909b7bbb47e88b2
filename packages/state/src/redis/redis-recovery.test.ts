import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, DependencyUnavailableError } from '@nightjar/core';
import { waitFor } from '@nightjar/testkit';
import type { StateStore } from '../port.ts';
import { createRedisState } from './redis-state.ts';
import { privateRedisServer } from './private-redis-server.ts';
import type { PrivateRedisServer } from './private-redis-server.ts';

const PASSWORD = 'n1ghtjar-S3cret';
const FAIL_FAST_MS = 5000;

let server: PrivateRedisServer | undefined;
let store: StateStore | undefined;

afterEach(async () => {
  await store?.close();
  await server?.stop();
  store = undefined;
  server = undefined;
});

async function rejection(operation: Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await operation.then(
    () => new Error('expected the command to fail'),
    (failure: unknown) => failure,
  );
  return { error, elapsedMs: Date.now() - started };
}

describe('redis state when Redis goes away', () => {
  it('fails fast while Redis is down and works again once it is back, without being recreated', async () => {
    server = await privateRedisServer();
    await server.start();
    store = createRedisState({ url: `redis://127.0.0.1:${server.port}`, commandTimeoutMs: 1000 });
    await store.set('k', 'before', 60_000);

    await server.stop();
    for (const operation of [
      store.get('k'),
      store.windowAdd('w', 'm', 1, 1000, 60_000),
      store.increment('c', 1, 1000),
    ]) {
      const { error, elapsedMs } = await rejection(operation);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect((error as DependencyUnavailableError).code).toBe('NJ_REDIS_UNAVAILABLE');
      expect((error as Error).message).toMatch(new RegExp(`Redis at 127\\.0\\.0\\.1:${server.port}`));
      expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    }
    expect(await store.ping()).toBe(false);

    await server.start();
    await waitFor(async () => ((await store!.ping()) ? true : undefined), 'the store to reconnect', 10_000);
    await store.set('k', 'after', 60_000);
    expect(await store.get('k')).toBe('after');
    expect(await store.windowAdd('w', 'm', 1, 1000, 60_000)).toEqual({ count: 1, added: true });
  });

  it('fails fast when Redis is not there at start', async () => {
    server = await privateRedisServer();
    store = createRedisState({ url: `redis://127.0.0.1:${server.port}`, commandTimeoutMs: 1000 });
    const { error, elapsedMs } = await rejection(store.get('k'));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(elapsedMs).toBeLessThan(FAIL_FAST_MS);
    expect(await store.ping()).toBe(false);
  });

  it('never puts the URL password in an error', async () => {
    server = await privateRedisServer(['--requirepass', PASSWORD]);
    await server.start();
    store = createRedisState({ url: `redis://:${PASSWORD}@127.0.0.1:${server.port}`, commandTimeoutMs: 1000 });
    await store.set('k', 'v', 60_000);
    await server.stop();
    const { error } = await rejection(store.get('k'));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(describeFully(error)).not.toContain(PASSWORD);

    await server.start();
    const wrong = `${PASSWORD}-wrong`;
    const refused = createRedisState({ url: `redis://:${wrong}@127.0.0.1:${server.port}`, commandTimeoutMs: 1000 });
    try {
      const { error: authError } = await rejection(refused.get('k'));
      expect(authError).toBeInstanceOf(AuthError);
      expect((authError as AuthError).code).toBe('NJ_REDIS_AUTH_FAILED');
      expect(describeFully(authError)).not.toContain(wrong);
      expect(describeFully(authError)).not.toContain(PASSWORD);
    } finally {
      await refused.close();
    }
  });
});

/** Message, stack and cause chain: everything a logger's error serializer would print. */
function describeFully(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(current));
  }
  return parts.join('\n');
}
