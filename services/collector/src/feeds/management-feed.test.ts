import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import { createMicrosoftClients, createMicrosoftHttp, type MicrosoftHttp, UNLIMITED } from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import type { CollectorTenant } from '../tenants.ts';
import { feedCatalog } from './catalog.ts';
import type { Feed } from './feed.ts';
import type { ContentCheckpoint } from './management-feed.ts';

let simulator: RunningSimulator;
let http: MicrosoftHttp;
let tenant: CollectorTenant;
let feed: Feed<ContentCheckpoint>;

beforeAll(async () => {
  const world = createWorld({ seed: 41, tenants: 1, days: 8, scenarios: 'none' });
  const [only] = world.tenants();
  world.setFeatures(only!.id, { auditEnabled: true, consented: true });
  simulator = await startSimulator({ world, clockFactor: 0 });
  http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
  const clients = createMicrosoftClients(endpoints, http, UNLIMITED, simulator.partner.tenantId);
  tenant = {
    mspId: 'msp-audit',
    tenantId: only!.id,
    credentials: {
      tenantId: only!.id,
      clientId: only!.credentials.clientId,
      clientSecret: new Secret(only!.credentials.clientSecret),
    },
  };
  const catalog = feedCatalog(clients, { pollIntervalMs: 60_000, backfillMs: 7 * 86_400_000 });
  feed = catalog(tenant).find((candidate) => candidate.name === 'audit:Audit.Exchange') as Feed<ContentCheckpoint>;
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

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
});
