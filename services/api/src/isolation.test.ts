import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { HistoryStore } from '@nightjar/store';
import { ApiKeys } from './api-keys.ts';
import { buildApi } from './app.ts';
import { historyOfTwoMsps, type MspFixture } from './testing/history.ts';

let store: HistoryStore;
let app: FastifyInstance;
let a: MspFixture;
let b: MspFixture;
let keyA: string;

beforeAll(async () => {
  ({ store, a, b } = await historyOfTwoMsps());
  app = await buildApi({ store, log: pino({ level: 'silent' }) });
  keyA = (await new ApiKeys(store, undefined).issue(a.mspId, 'admin', 'a admin')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** Every route the API documents, with a value of MSP B for each path parameter. */
async function documentedRoutes(): Promise<{ method: string; path: string }[]> {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

function withValuesOf(msp: MspFixture, path: string): string {
  return path
    .replace('{user}', encodeURIComponent(msp.users[0]!))
    .replace('{id}', encodeURIComponent(msp.alerts[0]!))
    .replace('{mspId}', msp.mspId)
    .replace('{keyId}', '0123456789abcdef');
}

/** Filters naming B's tenants, users, IPs and alerts, as a careless or hostile caller of A would send. */
function filtersNaming(msp: MspFixture): string[] {
  return [
    '',
    `?tenant=${msp.tenants[0]}`,
    `?user=${encodeURIComponent(msp.users[0]!)}`,
    `?ip=${msp.ips[0]}`,
    `?alert=${msp.alerts[0]}`,
    `?msp_id=${msp.mspId}`,
    `?tenant=${msp.tenants[1]}&format=csv`,
  ];
}

describe('isolation between MSPs', () => {
  it("never returns any of MSP B's data to MSP A's key, whatever route, filter or id is asked for", async () => {
    const routes = await documentedRoutes();
    expect(routes.length).toBeGreaterThan(15);
    let calls = 0;
    for (const route of routes) {
      for (const filter of filtersNaming(b)) {
        const response = await app.inject({
          method: route.method as 'GET',
          url: `${withValuesOf(b, route.path)}${filter}`,
          headers: { authorization: `Bearer ${keyA}` },
          ...(route.method === 'POST'
            ? { payload: { action: 'close', role: 'analyst', name: 'x', msp_id: b.mspId, tenant_id: b.tenants[0] } }
            : {}),
        });
        calls += 1;
        expect(response.statusCode, `${route.method} ${route.path}${filter}`).toBeLessThan(500);
        for (const marker of b.markers) {
          expect(response.body.includes(marker), `${route.method} ${route.path}${filter} leaked ${marker}`).toBe(false);
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
  });

  it("cannot act on B's alert or revoke B's keys", async () => {
    const closed = await app.inject({
      method: 'POST',
      url: `/v1/alerts/${b.alerts[0]}/actions`,
      headers: { authorization: `Bearer ${keyA}` },
      payload: { action: 'close' },
    });
    expect(closed.statusCode).toBe(404);
    const actions = await store.query<{ n: string }>(
      'SELECT count() AS n FROM alert_actions WHERE alert_id = {id:String}',
      { id: b.alerts[0]! },
    );
    expect(Number(actions[0]!.n)).toBe(0);
    const keyOfB = await new ApiKeys(store, undefined).issue(b.mspId, 'analyst', 'b analyst');
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/keys/${keyOfB.keyId}`,
      headers: { authorization: `Bearer ${keyA}` },
    });
    expect(revoked.statusCode).toBe(404);
    const stillWorks = await app.inject({
      method: 'GET',
      url: '/v1/alerts',
      headers: { authorization: `Bearer ${keyOfB.key}` },
    });
    expect(stillWorks.statusCode).toBe(200);
  });
});
