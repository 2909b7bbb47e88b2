import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import {
  createMicrosoftHttp,
  createPartnerCenterClient,
  createTokenProvider,
  UNLIMITED,
  type MicrosoftHttp,
} from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';
import type { CollectorTenant } from '../tenants.ts';
import { partnerSubscriptionsFeed, type PartnerCheckpoint } from './partner-feed.ts';

let world: World;
let simulator: RunningSimulator;
let http: MicrosoftHttp;
let partner: CollectorTenant;

beforeAll(async () => {
  world = createWorld({ seed: 11, tenants: 4, days: 2, scenarios: 'none' });
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
  http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  partner = {
    mspId: 'msp',
    tenantId: simulator.partner.tenantId,
    role: 'partner',
    credentials: {
      tenantId: simulator.partner.tenantId,
      clientId: simulator.partner.clientId,
      clientSecret: new Secret(simulator.partner.clientSecret),
    },
  };
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

function feed() {
  const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
  return partnerSubscriptionsFeed(
    createPartnerCenterClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED),
  );
}

const subscriptionIds = (customerId: string): string[] =>
  world
    .partnerSubscriptions(customerId)
    .map((record) => String(record['id']))
    .sort();

describe('partner subscriptions feed', () => {
  it('collects the other customers when one answers 403 20002 (advisor only), and dead-letters that one', async () => {
    const [first, advisor, ...others] = world.tenants();
    world.setFeatures(advisor!.id, { advisorOnly: true });
    try {
      const step = await feed().step(partner, undefined, world.now());
      for (const customer of [first!, ...others]) {
        const collected = step.events.flatMap((item) =>
          item.kind === 'subscription-snapshot' && item.event.tenant_id === customer.id
            ? [item.event.subscription_uid]
            : [],
        );
        expect(collected.sort()).toEqual(subscriptionIds(customer.id));
      }
      expect(step.events.some((item) => item.event.tenant_id === advisor!.id)).toBe(false);
      expect(step.rejects).toHaveLength(1);
      expect(step.rejects[0]).toMatchObject({ tenant_id: advisor!.id, source: 'partnercenter.subscriptions' });
      expect(step.rejects[0]!.payload).toContain('20002');
      expect(step.checkpoint.unreadable).toEqual([advisor!.id]);
    } finally {
      world.setFeatures(advisor!.id, { advisorOnly: false });
    }
  });

  it('reports no subscription of a customer it could not read as removed, and dead-letters the failure once', async () => {
    const reader = feed();
    const customer = world.tenants()[2]!;
    expect(subscriptionIds(customer.id).length).toBeGreaterThan(0);
    const first = await reader.step(partner, undefined, world.now());
    world.setFeatures(customer.id, { advisorOnly: true });
    let checkpoint: PartnerCheckpoint = first.checkpoint;
    try {
      for (const poll of [1, 2]) {
        const step = await reader.step(partner, checkpoint, world.now() + poll * 3_600_000);
        expect(step.events.filter((item) => item.event.tenant_id === customer.id)).toEqual([]);
        expect(step.rejects).toHaveLength(poll === 1 ? 1 : 0);
        checkpoint = step.checkpoint;
      }
      const kept = Object.keys(checkpoint.subscriptions).filter((key) => key.startsWith(`${customer.id}/`));
      expect(kept.length).toBe(subscriptionIds(customer.id).length);
    } finally {
      world.setFeatures(customer.id, { advisorOnly: false });
    }
    // Readable again: the kept snapshots match, so nothing is published as changed.
    const after = await reader.step(partner, checkpoint, world.now() + 3 * 3_600_000);
    expect(after.events.filter((item) => item.kind === 'subscription-change')).toEqual([]);
    expect(after.checkpoint.unreadable).toEqual([]);
  });
});
