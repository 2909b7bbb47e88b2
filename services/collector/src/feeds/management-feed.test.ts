import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import {
  createMicrosoftClients,
  createMicrosoftHttp,
  microsoftError,
  type ContentBlob,
  type ManagementClient,
  type MicrosoftClients,
  type MicrosoftHttp,
  UNLIMITED,
} from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import type { CollectorTenant } from '../tenants.ts';
import { feedCatalog } from './catalog.ts';
import type { Feed } from './feed.ts';
import type { ContentCheckpoint } from './management-feed.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let simulator: RunningSimulator;
let http: MicrosoftHttp;
let clients: MicrosoftClients;
let tenant: CollectorTenant;
let feed: Feed<ContentCheckpoint>;

/** The Exchange audit feed of the catalog, reading through `management`. */
function exchangeFeed(management: ManagementClient): Feed<ContentCheckpoint> {
  const catalog = feedCatalog({ ...clients, management }, { pollIntervalMs: 60_000, backfillMs: 7 * DAY });
  return catalog(tenant).find((candidate) => candidate.name === 'audit:Audit.Exchange') as Feed<ContentCheckpoint>;
}

beforeAll(async () => {
  const world = createWorld({ seed: 41, tenants: 1, days: 8, scenarios: 'none' });
  const [only] = world.tenants();
  world.setFeatures(only!.id, { auditEnabled: true, consented: true });
  // Microsoft repeats records across blobs; a fifth of them here, so every test meets repeats.
  simulator = await startSimulator({ world, clockFactor: 0, managementRepeatedRecords: 0.2 });
  http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
  clients = createMicrosoftClients(endpoints, http, UNLIMITED, simulator.partner.tenantId);
  tenant = {
    mspId: 'msp-audit',
    tenantId: only!.id,
    credentials: {
      tenantId: only!.id,
      clientId: only!.credentials.clientId,
      clientSecret: new Secret(only!.credentials.clientSecret),
    },
  };
  feed = exchangeFeed(clients.management);
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

/** A feed that read everything up to `watermark` (blobs listed by availability) and nothing of what came after. */
const readUntil = (watermark: number): ContentCheckpoint => ({ watermark, fetched: {}, started: false });

/** Steps until caught up with `now`; returns the last checkpoint and every event id published on the way. */
async function readUpTo(
  target: Feed<ContentCheckpoint>,
  checkpoint: ContentCheckpoint | undefined,
  now: number,
): Promise<{ checkpoint: ContentCheckpoint; eventIds: string[] }> {
  const eventIds: string[] = [];
  for (let steps = 0; steps < 20; steps++) {
    const step = await target.step(tenant, checkpoint, now);
    eventIds.push(...step.events.map((item) => item.event.event_id));
    checkpoint = step.checkpoint;
    if (step.caughtUp) return { checkpoint, eventIds };
  }
  throw new Error(`the feed did not catch up with ${new Date(now).toISOString()} in 20 steps`);
}

describe('a Management Activity feed whose subscription was stopped', () => {
  it('starts it again and reads on from its checkpoint, losing nothing', async () => {
    const now = simulator.context.clock.now();
    let checkpoint = (await feed.step(tenant, undefined, now)).checkpoint;
    // Read to a day with content, so the step after the stop has records to lose.
    for (let day = 0; day < 6; day++) checkpoint = (await feed.step(tenant, checkpoint, now)).checkpoint;
    const expected = await feed.step(tenant, checkpoint, now);
    expect(expected.events.length).toBeGreaterThan(0);

    // What POST subscriptions/stop does: the content listing now answers AF20022.
    simulator.context.subscriptions.get(tenant.tenantId)!.set('Audit.Exchange', { enabled: false, startedAt: 0 });
    const afterStop = await feed.step(tenant, checkpoint, now);

    expect(simulator.context.subscriptions.get(tenant.tenantId)!.get('Audit.Exchange')?.enabled).toBe(true);
    expect(afterStop.events.map((item) => item.event.event_id)).toEqual(
      expected.events.map((item) => item.event.event_id),
    );
    expect(afterStop.checkpoint.watermark).toBe(expected.checkpoint.watermark);
  });

  it('starts it again when a tenant admin disabled it (AF20023)', async () => {
    const now = simulator.context.clock.now();
    const checkpoint = { ...readUntil(now - 6 * HOUR), started: true };
    let starts = 0;
    let disabled = true;
    const adminDisabled: ManagementClient = {
      ...clients.management,
      start: async (credentials, contentType) => {
        starts += 1;
        disabled = false;
        await clients.management.start(credentials, contentType);
      },
      content: (credentials, contentType, start, end, options) => {
        if (disabled)
          throw microsoftError(
            `${simulator.urls.management}/api/v1.0/${tenant.tenantId}/activity/feed/subscriptions/content`,
            400,
            {},
            { error: { code: 'AF20023', message: 'The subscription was disabled by the tenant admin.' } },
          );
        return clients.management.content(credentials, contentType, start, end, options);
      },
    };
    const expected = await feed.step(tenant, checkpoint, now);
    expect(expected.events.length).toBeGreaterThan(0);

    const afterDisable = await exchangeFeed(adminDisabled).step(tenant, checkpoint, now);

    expect(starts).toBe(1);
    expect(afterDisable.events.map((item) => item.event.event_id)).toEqual(
      expected.events.map((item) => item.event.event_id),
    );
  });
});

describe('a Management Activity feed reading blobs that repeat records', () => {
  it('publishes each record once, across blobs and across steps', async () => {
    const stepOfRecord = new Map<string, Set<number>>();
    let step = 0;
    let fetchedRecords = 0;
    const watching: ManagementClient = {
      ...clients.management,
      fetch: async (credentials, blob, options) => {
        const content = await clients.management.fetch(credentials, blob, options);
        for (const record of 'records' in content ? content.records : []) {
          const id = (record as { Id: string }).Id;
          fetchedRecords += 1;
          stepOfRecord.set(id, (stepOfRecord.get(id) ?? new Set()).add(step));
        }
        return content;
      },
    };
    const watched = exchangeFeed(watching);
    const end = simulator.context.clock.now();
    // Caught up a day ago, then polled hourly, so repeats fall on both sides of step boundaries.
    let checkpoint = readUntil(end - DAY);
    let eventIds: string[] = [];
    for (let now = end - DAY + HOUR; now <= end; now += HOUR) {
      step += 1;
      const read = await readUpTo(watched, checkpoint, now);
      checkpoint = read.checkpoint;
      eventIds = [...eventIds, ...read.eventIds];
    }

    const repeatedAcrossSteps = [...stepOfRecord.values()].filter((steps) => steps.size > 1);
    expect(fetchedRecords).toBeGreaterThan(stepOfRecord.size);
    expect(repeatedAcrossSteps.length).toBeGreaterThan(0);
    expect(eventIds.length).toBe(new Set(eventIds).size);
    expect(new Set(eventIds)).toEqual(new Set(stepOfRecord.keys()));
  });

  it('keeps in its checkpoint only the blobs and records a later listing can still return', async () => {
    const overlapMs = HOUR;
    const now = simulator.context.clock.now();
    const { checkpoint } = await readUpTo(feed, undefined, now);

    const relistableFrom = Math.floor((checkpoint.watermark - overlapMs) / 1000) * 1000;
    const blobTimes = Object.values(checkpoint.fetched);
    const recordTimes = Object.keys(checkpoint.recordIds ?? {}).map(Number);
    expect(blobTimes.length).toBeGreaterThan(0);
    expect(recordTimes.length).toBeGreaterThan(0);
    // Blobs come every five minutes, so an hour of overlap holds about a dozen; seven days would hold two thousand.
    expect(blobTimes.length).toBeLessThanOrEqual(overlapMs / 300_000 + 1);
    for (const created of [...blobTimes, ...recordTimes]) expect(created).toBeGreaterThanOrEqual(relistableFrom);

    // What it dropped is never listed again: a poll a little later publishes nothing twice.
    const later = await feed.step(tenant, checkpoint, now);
    expect(later.events).toEqual([]);
  });

  it('reads on from a checkpoint that kept expiry times, without reading its blobs again', async () => {
    const now = simulator.context.clock.now();
    const { checkpoint } = await readUpTo(feed, undefined, now);
    const legacy: ContentCheckpoint = {
      watermark: checkpoint.watermark,
      started: true,
      fetched: Object.fromEntries(
        Object.entries(checkpoint.fetched).map(([contentId, created]) => [contentId, created + 7 * DAY]),
      ),
    };
    const step = await feed.step(tenant, legacy, now);
    expect(step.events).toEqual([]);
    expect(step.checkpoint.fetched).toEqual(checkpoint.fetched);
  });
});

describe('a Management Activity blob that expired before it was read', () => {
  it('is recorded as a dead letter naming its content id, and the feed reads on', async () => {
    const now = simulator.context.clock.now();
    const checkpoint = readUntil(now - 6 * HOUR);
    const bucket = Math.floor((now - 8 * DAY) / 300_000) * 300_000;
    const contentId = `${tenant.tenantId}$Audit.Exchange$${bucket}`;
    const expired: ContentBlob = {
      contentType: 'Audit.Exchange',
      contentId,
      contentUri: `${simulator.urls.management}/api/v1.0/${tenant.tenantId}/activity/feed/audit/${contentId}`,
      contentCreated: new Date(bucket + 300_000).toISOString(),
      contentExpiration: new Date(bucket + 300_000 + 7 * DAY).toISOString(),
    };
    const withExpired: ManagementClient = {
      ...clients.management,
      async *content(credentials, contentType, start, end, options) {
        yield [expired];
        yield* clients.management.content(credentials, contentType, start, end, options);
      },
    };
    const expected = await feed.step(tenant, checkpoint, now);
    expect(expected.events.length).toBeGreaterThan(0);

    const step = await exchangeFeed(withExpired).step(tenant, checkpoint, now);

    expect(step.events.map((item) => item.event.event_id)).toEqual(expected.events.map((item) => item.event.event_id));
    expect(step.rejects).toEqual([
      expect.objectContaining({
        tenant_id: tenant.tenantId,
        source: 'management.Audit.Exchange',
        location: contentId,
        reason: expect.stringContaining('AF20051') as string,
      }),
    ]);
  });
});
