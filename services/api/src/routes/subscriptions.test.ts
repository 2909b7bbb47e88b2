import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { clickhouseTime, type HistoryStore } from '@nightjar/store';
import { ApiKeys } from '../api-keys.ts';
import { buildApi } from '../app.ts';
import { historyOfTwoMsps, type MspFixture } from '../testing/history.ts';

const DAY = 86_400_000;

let store: HistoryStore;
let app: FastifyInstance;
let a: MspFixture;
let analyst: string;

function subscription(tenant: string, id: string, commitmentEnd: number): Record<string, unknown> {
  return {
    msp_id: a.mspId,
    tenant_id: tenant,
    source: 'partner-center',
    event_id: id,
    time: '2026-12-01 10:00:00.000',
    ingest_time: '2026-12-01 10:00:00.000',
    subscription_uid: id,
    friendly_name: id,
    quantity: 1,
    status: 'active',
    commitment_end_time: clickhouseTime(commitmentEnd),
    is_trial: false,
    suspension_reasons: [],
    raw: '{}',
  };
}

beforeAll(async () => {
  ({ store, a } = await historyOfTwoMsps());
  const now = Date.now();
  await store.insert('subscriptions', [
    subscription(a.tenants[0]!, 'lapsed-last-year', now - 400 * DAY),
    subscription(a.tenants[0]!, 'lapsed-yesterday', now - DAY),
    subscription(a.tenants[1]!, 'ends-in-three-days', now + 3 * DAY),
  ]);
  app = await buildApi({ store, log: pino({ level: 'silent' }) });
  analyst = (await new ApiKeys(store, undefined).issue(a.mspId, 'analyst', 'analyst')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function expiring(days: number): Promise<string[]> {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/subscriptions?expiringWithinDays=${days}`,
    headers: { authorization: `Bearer ${analyst}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: { subscription_uid: string }[] }>().items.map((item) => item.subscription_uid);
}

describe('subscriptions expiring within N days', () => {
  it('lists only commitments that end between now and N days from now, never lapsed ones', async () => {
    expect(await expiring(5)).toEqual(['ends-in-three-days']);
    expect(await expiring(30)).toEqual(['ends-in-three-days', ...a.tenants.map((tenant) => `${tenant}-sub`)]);
  });

  it('still lists lapsed subscriptions when no window is asked for', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/subscriptions',
      headers: { authorization: `Bearer ${analyst}` },
    });
    const ids = response.json<{ items: { subscription_uid: string }[] }>().items.map((item) => item.subscription_uid);
    expect(ids).toEqual(expect.arrayContaining(['lapsed-last-year', 'lapsed-yesterday']));
  });
});
