import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import {
  createGraphClient,
  createMicrosoftHttp,
  createTokenProvider,
  UNLIMITED,
  type MicrosoftHttp,
} from '@nightjar/m365';
import { normalizeSignIn } from '@nightjar/normalize';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';
import type { CollectorTenant } from '../tenants.ts';
import { windowedGraphFeed, type WindowCheckpoint } from './windowed-graph-feed.ts';

const DAY_MS = 86_400_000;

let world: World;
let simulator: RunningSimulator;
let http: MicrosoftHttp;
let tenant: CollectorTenant;
let requests = 0;

beforeAll(async () => {
  world = createWorld({ seed: 17, tenants: 1, days: 3, startAt: Date.now(), scenarios: 'none' });
  const [only] = world.tenants();
  world.setFeatures(only!.id, { entraP1: true, consented: true });
  // Throttling off: this test counts requests, the collector tests cover 429s.
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
  const counting = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  http = {
    send: (url, init) => {
      if (url.includes('auditLogs/signIns')) requests += 1;
      return counting.send(url, init);
    },
    close: () => counting.close(),
  };
  tenant = {
    mspId: 'msp',
    tenantId: only!.id,
    credentials: {
      tenantId: only!.id,
      clientId: only!.credentials.clientId,
      clientSecret: new Secret(only!.credentials.clientSecret),
    },
  };
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

function feed(maxStepRecords?: number) {
  return signInsFeed(simulator, http, maxStepRecords);
}

function signInsFeed(target: RunningSimulator, client: MicrosoftHttp, maxStepRecords?: number) {
  const endpoints = { ...target.urls, caCertPem: target.caCertPem };
  return windowedGraphFeed({
    name: 'signins',
    graph: createGraphClient(endpoints, client, createTokenProvider(endpoints, client), UNLIMITED),
    path: 'auditLogs/signIns',
    version: 'v1.0',
    timeProperty: 'createdDateTime',
    source: 'graph.signIns.interactive',
    backfillMs: 30 * DAY_MS,
    ...(maxStepRecords ? { maxStepRecords } : {}),
    normalize: (record, owner, now) => ({
      kind: 'sign-in',
      event: normalizeSignIn(record, {
        mspId: owner.mspId,
        tenantId: owner.tenantId,
        source: 'graph.signIns.interactive',
        ingestTime: now,
      }),
    }),
  });
}

/** Steps a 30-day backfill to the present; returns the event ids and the steps it took. */
async function backfill(maxStepRecords?: number): Promise<{ ids: string[]; times: number[]; steps: number }> {
  const reader = feed(maxStepRecords);
  const now = Date.now();
  let checkpoint: WindowCheckpoint | undefined;
  const ids: string[] = [];
  const times: number[] = [];
  for (let steps = 1; steps <= 200; steps += 1) {
    const step = await reader.step(tenant, checkpoint, now);
    ids.push(...step.events.map((item) => item.event.event_id));
    times.push(...step.events.map((item) => item.event.time));
    checkpoint = step.checkpoint;
    if (step.caughtUp) return { ids, times, steps };
  }
  throw new Error('the backfill never caught up');
}

const expected = (): string[] =>
  world
    .signIns(tenant.tenantId, 'interactive')
    .map((record) => String(record['id']))
    .sort();

describe('windowed Graph feed', () => {
  it('crosses the empty days before a tenant’s history in a few requests, then reads every sign-in once', async () => {
    requests = 0;
    const { ids, steps } = await backfill();
    expect(ids.sort()).toEqual(expected());
    // 27 empty days take 3 widening windows instead of 27 requests; the 3 days with records one each.
    expect(steps).toBeLessThanOrEqual(7);
    expect(requests).toBeLessThan(15);
  });

  it('publishes the backfill oldest first, although Graph answers each window newest first', async () => {
    const { times } = await backfill();
    expect(times.length).toBeGreaterThan(100);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('publishes a record once when the overlap starts inside its second (the filter has whole seconds)', async () => {
    const reader = feed();
    const HOUR_MS = 3_600_000;
    const record = world
      .signIns(tenant.tenantId, 'interactive')
      .map((one) => ({ id: String(one['id']), at: Date.parse(String(one['createdDateTime'])) }))
      .find((one) => one.at % 1000 < 500 && one.at < Date.now() - 2 * HOUR_MS)!;
    // The step ends an hour and 600 ms after the record, so the next overlap starts 600 ms after it, in its second.
    const firstNow = record.at + HOUR_MS + 600;
    const first = await reader.step(tenant, { watermark: record.at - 1_000, recentIds: [] }, firstNow);
    const second = await reader.step(tenant, first.checkpoint, firstNow + 60_000);
    const ids = [...first.events, ...second.events].map((item) => item.event.event_id);
    expect(first.events.map((item) => item.event.event_id)).toContain(record.id);
    expect(ids.filter((id) => id === record.id)).toHaveLength(1);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('narrows a window that holds more than one step may carry, and still reads every sign-in once', async () => {
    const { ids } = await backfill(40);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(expected());
  });
});

describe('windowed Graph feed over sign-ins Microsoft publishes late', () => {
  const MINUTE_MS = 60_000;
  let lateWorld: World;
  let late: RunningSimulator;
  let lateHttp: MicrosoftHttp;
  let lateTenant: CollectorTenant;

  beforeAll(async () => {
    // A Tuesday morning in Europe, so sign-ins keep arriving while the clock runs.
    lateWorld = createWorld({ seed: 29, tenants: 1, days: 1, startAt: Date.UTC(2026, 2, 3, 8), scenarios: 'none' });
    const [only] = lateWorld.tenants();
    lateWorld.setFeatures(only!.id, { entraP1: true, consented: true });
    late = await startSimulator({ world: lateWorld, clockFactor: 0, throttleScale: 0 });
    lateHttp = createMicrosoftHttp({ caCertPem: late.caCertPem });
    lateTenant = {
      mspId: 'msp',
      tenantId: only!.id,
      credentials: {
        tenantId: only!.id,
        clientId: only!.credentials.clientId,
        clientSecret: new Secret(only!.credentials.clientSecret),
      },
    };
    late.context.faults.add({ kind: 'lateArrival', endpoint: 'signIns', tenantId: only!.id, delayMs: 100 * MINUTE_MS });
  });
  afterAll(async () => {
    await lateHttp.close();
    await late.close();
  });

  it('collects exactly once a sign-in that appears 100 minutes after its createdDateTime', async () => {
    const reader = signInsFeed(late, lateHttp);
    const started = late.context.clock.now();
    const ids: string[] = [];
    let checkpoint: WindowCheckpoint | undefined;
    // Five-minute polls for five hours of simulated time.
    for (let poll = 0; poll <= 60; poll += 1) {
      const now = poll === 0 ? started : late.context.clock.advance(5 * MINUTE_MS);
      const step = await reader.step(lateTenant, checkpoint, now);
      ids.push(...step.events.map((item) => item.event.event_id));
      checkpoint = step.checkpoint;
    }
    const arrivedBy = late.context.clock.now() - 100 * MINUTE_MS;
    const createdAt = (record: Readonly<Record<string, unknown>>) => Date.parse(String(record['createdDateTime']));
    const arrived = lateWorld.signIns(lateTenant.tenantId, 'interactive').filter((one) => createdAt(one) <= arrivedBy);
    // Those created after the first poll were published late while the feed was already polling.
    expect(arrived.filter((one) => createdAt(one) > started).length).toBeGreaterThan(3);
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.sort()).toEqual(arrived.map((one) => String(one['id'])).sort());
  });
});
