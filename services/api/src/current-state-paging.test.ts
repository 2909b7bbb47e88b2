import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { HistoryStore } from '@nightjar/store';
import { ApiKeys } from './api-keys.ts';
import { buildApi } from './app.ts';
import { historyOfTwoMsps } from './testing/history.ts';

let store: HistoryStore;
let app: FastifyInstance;
let analyst: string;

beforeAll(async () => {
  const history = await historyOfTwoMsps();
  store = history.store;
  app = await buildApi({ store, log: pino({ level: 'silent' }) });
  analyst = (await new ApiKeys(store, undefined).issue(history.a.mspId, 'analyst', 'analyst')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

interface Page {
  readonly items: Record<string, unknown>[];
  readonly nextCursor: string | null;
}

describe('paging current-state lists', () => {
  async function pages(
    path: string,
    limit: number,
    keyOf: (item: Record<string, unknown>) => string,
  ): Promise<{ seen: string[]; calls: number }> {
    const seen: string[] = [];
    let cursor: string | null = null;
    let calls = 0;
    do {
      const url: string = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${analyst}` } });
      expect(response.statusCode, url).toBe(200);
      const body: Page = response.json<Page>();
      seen.push(...body.items.map(keyOf));
      cursor = body.nextCursor;
      calls += 1;
    } while (cursor && calls < 100);
    return { seen, calls };
  }

  it('walks subscriptions (soonest end first), devices and deliveries page by page without gaps or repeats', async () => {
    for (const [path, keyOf] of [
      ['/v1/subscriptions', (item: Record<string, unknown>) => String(item['subscription_uid'])],
      ['/v1/devices', (item: Record<string, unknown>) => `${String(item['tenant_id'])}/${String(item['device_uid'])}`],
      [
        '/v1/deliveries',
        (item: Record<string, unknown>) => `${String(item['delivery_id'])}#${String(item['attempt'])}`,
      ],
    ] as const) {
      const whole = await pages(path, 5_000, keyOf);
      expect(whole.seen.length, path).toBeGreaterThanOrEqual(2);
      const paged = await pages(path, 1, keyOf);
      expect(paged.seen, path).toEqual(whole.seen);
      // Each page is read with one row more than it shows: no empty page at the end.
      expect(paged.calls, path).toBe(whole.seen.length);
    }
    const ends = (
      await pages('/v1/subscriptions', 1, (item) =>
        typeof item['commitment_end_time'] === 'string' ? item['commitment_end_time'] : '~',
      )
    ).seen;
    expect(ends).toEqual([...ends].sort());
  });

  it('answers 400 for a cursor it did not hand out', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/devices?cursor=bm90LWEtY3Vyc29y',
      headers: { authorization: `Bearer ${analyst}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
