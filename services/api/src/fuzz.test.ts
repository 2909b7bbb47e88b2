import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { createSealer, Secret } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';
import { ApiKeys } from './api-keys.ts';
import { buildApi } from './app.ts';
import { historyOfTwoMsps } from './testing/history.ts';

let store: HistoryStore;
let app: FastifyInstance;
let key: string;
let routes: { method: string; path: string; query: string[] }[];

/** Deterministic, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const NASTY = [
  "' OR 1=1 --",
  '{msp:String}',
  "'); DROP TABLE signins; --",
  '\u0000',
  '%00',
  '../../etc/passwd',
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  '2026-13-45T25:61:00Z',
  '😀'.repeat(50),
  '<script>alert(1)</script>',
  '[]',
  '{"a":',
  'true',
  ' ',
  '',
];

function value(next: () => number): string {
  const roll = next();
  if (roll < 0.5) return NASTY[Math.floor(next() * NASTY.length)]!;
  const length = Math.floor(next() * 40);
  return Array.from({ length }, () => String.fromCharCode(32 + Math.floor(next() * 95))).join('');
}

beforeAll(async () => {
  const history = await historyOfTwoMsps();
  store = history.store;
  app = await buildApi({
    store,
    log: pino({ level: 'silent' }),
    rateLimitPerMinute: 100_000,
    sealer: createSealer(new Secret(randomBytes(32).toString('base64'))),
  });
  key = (await new ApiKeys(store, undefined).issue(history.a.mspId, 'admin', 'fuzz')).key;
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
  }>();
  routes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      query: (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name),
    })),
  );
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('fuzzing every route', () => {
  it('answers random paths, query strings and bodies with 4xx in the one error shape, never 5xx', async () => {
    const next = random(20261203);
    const failures: string[] = [];
    for (let round = 0; round < 40; round += 1) {
      for (const route of routes) {
        const path = route.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(value(next)) || 'x');
        const names = [...route.query, 'unknown', 'limit', 'cursor', 'from'];
        const query = names
          .filter(() => next() < 0.4)
          .map((name) => `${name}=${encodeURIComponent(value(next))}`)
          .join('&');
        const body =
          next() < 0.5 ? value(next) : { action: value(next), role: value(next), name: value(next), x: [value(next)] };
        const url = `${path}${query ? `?${query}` : ''}`;
        const response = await app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          ...(route.method === 'GET' || route.method === 'DELETE'
            ? {}
            : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        });
        if (response.statusCode >= 500)
          failures.push(`${route.method} ${url} → ${response.statusCode} ${response.body}`);
        else if (response.statusCode >= 400) {
          const error = response.json<{ error?: { code?: unknown; message?: unknown } }>().error;
          if (typeof error?.code !== 'string' || typeof error.message !== 'string')
            failures.push(`${route.method} ${url} → ${response.statusCode} without the error shape: ${response.body}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('still answers after the storm', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/alerts',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.statusCode).toBe(200);
  });
});
