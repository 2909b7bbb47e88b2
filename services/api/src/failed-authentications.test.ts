import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { HistoryStore, QueryParams } from '@nightjar/store';
import { ApiKeys } from './api-keys.ts';
import { buildApi } from './app.ts';
import { FailedAuthentications } from './failed-authentications.ts';

const SECRET = 'S'.repeat(43);
const keyOf = (id: string) => `nj_${id}_${SECRET}`;
const VALID_IDS = ['00000000000000a1', '00000000000000a2', '00000000000000a3'];

/** Key lookups answered from memory, counted: enough store for authentication. */
function keyStore() {
  const lookups: string[] = [];
  const issued = new Set(VALID_IDS);
  const store: Partial<HistoryStore> = {
    kind: 'chdb',
    query: <Row>(_sql: string, params: QueryParams = {}): Promise<Row[]> => {
      const id = String(params['id']);
      lookups.push(id);
      if (!issued.has(id)) return Promise.resolve([]);
      const key = {
        key_id: id,
        msp_id: 'msp-keys',
        role: 'analyst',
        name: id,
        secret_sha256: createHash('sha256').update(SECRET).digest('hex'),
        created: '2026-12-01 00:00:00.000',
        revoked: 0,
      };
      return Promise.resolve([key as Row]);
    },
  };
  return { store: store as HistoryStore, lookups, issued };
}

describe('failed authentications per client address', () => {
  let app: FastifyInstance;
  const { store, lookups } = keyStore();
  beforeAll(async () => {
    app = await buildApi({ store, log: pino({ level: 'silent' }), failedAuthenticationsPerMinute: 3 });
  });
  afterAll(() => app.close());

  const request = (key: string | undefined, remoteAddress: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/alerts/any',
      remoteAddress,
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });

  it('answers 429 in the usual shape once an address has had its rejected keys, without looking keys up', async () => {
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await request(keyOf(`ffffffffffff000${attempt}`), '198.51.100.7')).statusCode).toBe(401);
    const lookupsBefore = lookups.length;
    const limited = await request(keyOf('ffffffffffff0009'), '198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) as string } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Until the minute ends the address is turned away whatever it sends, and the store is not asked.
    expect((await request(keyOf(VALID_IDS[0]!), '198.51.100.7')).statusCode).toBe(429);
    expect(lookups.length).toBe(lookupsBefore);
  });

  it('leaves other addresses, and requests without any key, alone', async () => {
    expect((await request(keyOf('ffffffffffff0001'), '198.51.100.8')).statusCode).toBe(401);
    expect((await request(keyOf(VALID_IDS[0]!), '198.51.100.8')).statusCode).not.toBe(429);
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await request(undefined, '198.51.100.9')).statusCode).toBe(401);
  });
});

describe('the failure windows', () => {
  it('open again when the window ends and forget the oldest address past the bound', () => {
    let now = 0;
    const failures = new FailedAuthentications({ limit: 2, windowMs: 60_000, maxAddresses: 2, now: () => now });
    failures.record('a');
    failures.record('a');
    expect(failures.retryAfterSeconds('a')).toBe(60);
    now = 59_500;
    expect(failures.retryAfterSeconds('a')).toBe(1);
    now = 60_000;
    expect(failures.retryAfterSeconds('a')).toBeUndefined();
    failures.record('a');
    failures.record('a');
    failures.record('b');
    failures.record('c');
    expect(failures.retryAfterSeconds('a')).toBeUndefined();
  });
});

describe('the key cache', () => {
  it('does not remember key ids that were not found, so a key issued meanwhile works at once', async () => {
    const { store, lookups, issued } = keyStore();
    const keys = new ApiKeys(store, undefined);
    const unknown = 'ffffffffffffffff';
    expect(await keys.authenticate(keyOf(unknown))).toBeUndefined();
    expect(await keys.authenticate(keyOf(unknown))).toBeUndefined();
    expect(lookups).toEqual([unknown, unknown]);
    issued.add(unknown);
    expect(await keys.authenticate(keyOf(unknown))).toMatchObject({ kind: 'msp', keyId: unknown });
  });

  it('holds the most recently used keys up to its bound', async () => {
    const { store, lookups } = keyStore();
    const keys = new ApiKeys(store, undefined, { maxCachedKeys: 2 });
    const [first, second, third] = VALID_IDS as [string, string, string];
    for (const id of [first, second, first, third]) await keys.authenticate(keyOf(id));
    expect(lookups).toEqual([first, second, third]);
    // The third evicted the second (least recently used), not the first.
    await keys.authenticate(keyOf(first));
    await keys.authenticate(keyOf(second));
    expect(lookups).toEqual([first, second, third, second]);
  });
});
