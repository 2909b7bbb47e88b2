import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { Secret } from '@nightjar/core';
import { decodeEvent, type FeedHealth } from '@nightjar/events';
import {
  CONTENT_TYPES,
  createLocalBudget,
  createMicrosoftClients,
  createMicrosoftHttp,
  MICROSOFT_LIMITS,
  type MicrosoftHttp,
  scaledLimits,
} from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';
import { createMemoryState } from '@nightjar/state/memory';
import { kafkaBrokers, uniqueName, waitFor } from '@nightjar/testkit';
import { feedCatalog } from './feeds/catalog.ts';
import { createCollectorRole, type CollectorRole } from './role.ts';
import { staticTenantDirectory } from './tenants.ts';
import { topicFor, type TopicNaming } from './topics.ts';

const DAY_MS = 24 * 3_600_000;
const log = pino({ level: process.env['DEBUG_COLLECTOR'] ? 'debug' : 'silent' });

let world: World;
let simulator: RunningSimulator;
let http: MicrosoftHttp;
let bus: EventBus;
let naming: TopicNaming;

function collectorFor(): CollectorRole {
  const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
  // The simulator runs with every budget ×20; the collector spends the same scaled budgets.
  const budget = createLocalBudget(scaledLimits(MICROSOFT_LIMITS, 20));
  const clients = createMicrosoftClients(endpoints, http, budget, simulator.partner.tenantId);
  const directory = staticTenantDirectory(
    world.tenants().map((tenant) => ({
      mspId: 'msp-test',
      tenantId: tenant.id,
      credentials: {
        tenantId: tenant.id,
        clientId: tenant.credentials.clientId,
        clientSecret: new Secret(tenant.credentials.clientSecret),
      },
    })),
  );
  return createCollectorRole({
    bus,
    state: createMemoryState(),
    directory,
    feedsFor: feedCatalog(clients, { pollIntervalMs: 1_000, backfillMs: 2 * DAY_MS }),
    naming,
    clock: { now: () => simulator.context.clock.now() },
    log,
    metrics: new Registry(),
    concurrency: 8,
  });
}

/** Event ids per kind currently committed in the collector's topics. */
async function published(kind: 'sign-in' | 'directory-audit' | 'audit-record'): Promise<string[]> {
  const messages = await bus.readTopic(topicFor(naming, kind));
  return messages.map((message) => {
    const decoded = decodeEvent(message.value);
    return 'event_id' in decoded.event ? decoded.event.event_id : '';
  });
}

/** The newest health report of each tenant's feeds, by `tenant/feed`. */
async function reportedHealth(): Promise<Map<string, FeedHealth>> {
  const latest = new Map<string, FeedHealth>();
  for (const message of await bus.readTopic(topicFor(naming, 'feed-health'))) {
    const decoded = decodeEvent(message.value);
    if (decoded.kind === 'feed-health') latest.set(`${decoded.event.tenant_id}/${decoded.event.feed}`, decoded.event);
  }
  return latest;
}

/** What the simulator holds for tenants whose licences let the collector read them. */
function expectedSignIns(now: number): string[] {
  return world
    .tenants()
    .filter((tenant) => tenant.features.entraP1 && tenant.features.consented)
    .flatMap((tenant) => [...world.signIns(tenant.id, 'interactive'), ...world.signIns(tenant.id, 'nonInteractive')])
    .filter((record) => Date.parse(String(record['createdDateTime'])) >= now - 2 * DAY_MS)
    .map((record) => String(record['id']));
}

beforeAll(async () => {
  world = createWorld({ seed: 21, tenants: 3, days: 2, scenarios: 'none' });
  world.setFeatures(world.tenants()[1]!.id, { entraP1: false });
  world.setFeatures(world.tenants()[2]!.id, { entraP1: true, consented: true });
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 20 });
  http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('collector-test'), sessionTimeoutMs: 10_000 });
  naming = { prefix: `${uniqueName('njc')}.`, partitions: 3 };
});
afterAll(async () => {
  await bus.close();
  await http.close();
  await simulator.close();
});

describe('collector against the simulator, over real Kafka', () => {
  it('publishes every sign-in exactly once through 429 storms, 503s, resets mid-page, an expired secret and a restart', async () => {
    const [first, unlicensed, second] = world.tenants();
    const faults = simulator.context.faults;
    faults.add({ kind: '429', endpoint: 'signIns', count: 6, retryAfterSeconds: 0.2 });
    faults.add({ kind: '503', endpoint: 'directoryAudits', count: 3, retryAfterSeconds: 0 });
    faults.add({ kind: 'reset', tenantId: first!.id, endpoint: 'signIns', count: 2 });
    faults.add({ kind: 'expiredSecret', tenantId: second!.id });
    const expected = new Set(expectedSignIns(simulator.context.clock.now()));
    const ofSecond = new Set(
      expectedSignIns(simulator.context.clock.now()).filter(
        (id) =>
          world.signIns(second!.id, 'interactive').some((record) => record['id'] === id) ||
          world.signIns(second!.id, 'nonInteractive').some((record) => record['id'] === id),
      ),
    );

    const firstRun = collectorFor();
    await firstRun.start();
    try {
      await waitFor(
        async () => {
          const ids = new Set(await published('sign-in'));
          const othersDone = [...expected].every((id) => ofSecond.has(id) || ids.has(id));
          const secretReported = firstRun.health
            .all()
            .some((feed) => feed.lastError?.startsWith('client secret has expired'));
          return othersDone && secretReported ? true : undefined;
        },
        'the healthy tenants in Kafka and the expired secret reported',
        60_000,
        500,
      );
      const health = firstRun.health.all();
      expect(health.find((feed) => feed.tenantId === unlicensed!.id && feed.feed === 'signins')?.lastError).toBe(
        'tenant has no Entra ID P1 licence: sign-in logs unavailable',
      );
    } finally {
      await firstRun.stop();
    }
    // What the API of another process will show: the same health, read from the bus.
    const reported = await reportedHealth();
    const refused = firstRun.health.all().find((feed) => feed.tenantId === unlicensed!.id && feed.feed === 'signins');
    expect(reported.get(`${unlicensed!.id}/signins`)).toMatchObject({
      msp_id: 'msp-test',
      status: 'unavailable',
      last_error: 'tenant has no Entra ID P1 licence: sign-in logs unavailable',
      last_error_code: refused?.lastErrorCode,
    });
    const ofExpiredSecret = [...reported.values()].filter((feed) => feed.tenant_id === second!.id);
    expect(ofExpiredSecret.map((feed) => feed.feed)).toContain('signins');
    for (const feed of ofExpiredSecret) {
      expect(feed, feed.feed).toMatchObject({ status: 'unavailable', last_success_time: null });
      expect(feed.last_error, feed.feed).toMatch(/^client secret has expired/);
    }
    expect(reported.get(`${first!.id}/signins`)).toMatchObject({
      status: 'ok',
      consecutive_failures: 0,
      caught_up: true,
      read_through_time: expect.any(Number) as number,
    });

    // The secret is renewed; a new process resumes from the checkpoints in Kafka.
    faults.clear();
    const secondRun = collectorFor();
    await secondRun.start();
    try {
      await waitFor(
        async () => {
          const ids = new Set(await published('sign-in'));
          return [...expected].every((id) => ids.has(id)) ? true : undefined;
        },
        'every sign-in in Kafka',
        60_000,
        500,
      );
    } finally {
      await secondRun.stop();
    }
    const ids = await published('sign-in');
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(expected);
  }, 150_000);

  it('publishes every unified audit record exactly once, those that become available late included', async () => {
    naming = { prefix: `${uniqueName('njl')}.`, partitions: 3 };
    // A new tenant's first read reaches back as far as the API keeps content: 7 days, less an hour of margin.
    const since = simulator.context.clock.now() - 7 * DAY_MS + 3_600_000;
    const readable = world.tenants().filter((tenant) => tenant.features.auditEnabled && tenant.features.consented);
    // Microsoft lists content by when it became available, in 5-minute blobs, up to about an hour after the event.
    const expectedAt = (now: number): Set<string> =>
      new Set(
        readable.flatMap((tenant) =>
          CONTENT_TYPES.flatMap((type) =>
            world
              .auditRecords(tenant.id, type)
              .filter((entry) => {
                const created = Math.floor(entry.availableAt / 300_000) * 300_000 + 300_000;
                return created >= since && created < now;
              })
              .map((entry) => String(entry.record['Id'])),
          ),
        ),
      );
    const allPublished = (expected: Set<string>) => async () => {
      const ids = new Set(await published('audit-record'));
      return [...expected].every((id) => ids.has(id)) ? true : undefined;
    };
    const run = collectorFor();
    await run.start();
    let expected = expectedAt(simulator.context.clock.now());
    try {
      expect(expected.size).toBeGreaterThan(0);
      await waitFor(allPublished(expected), 'the audit records available now', 60_000, 500);
      // Two hours pass: new activity, and records of the last hour that were still in Microsoft's pipeline.
      const before = expected;
      simulator.context.clock.advance(2 * 3_600_000);
      expected = expectedAt(simulator.context.clock.now());
      const lateOnes = readable.flatMap((tenant) =>
        CONTENT_TYPES.flatMap((type) =>
          world
            .auditRecords(tenant.id, type)
            .filter((entry) => expected.has(String(entry.record['Id'])) && !before.has(String(entry.record['Id'])))
            .filter(
              (entry) => entry.availableAt - Date.parse(String(entry.record['CreationTime']) + 'Z') > 20 * 60_000,
            ),
        ),
      );
      expect(lateOnes.length).toBeGreaterThan(0);
      await waitFor(allPublished(expected), 'the records that became available later', 60_000, 500);
    } finally {
      await run.stop();
    }
    const ids = await published('audit-record');
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(expected);
  }, 150_000);
});
