import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@nightjar/core';
import {
  createGraphClient,
  createMicrosoftHttp,
  createTokenProvider,
  UNLIMITED,
  type MicrosoftHttp,
} from '@nightjar/m365';
import { createWorld, startSimulator, type RunningSimulator, type SimTenant, type World } from '@nightjar/simulator';
import type { CollectorTenant } from '../tenants.ts';
import { usersFeed } from './directory-feeds.ts';

let world: World;
let simulator: RunningSimulator;
let http: MicrosoftHttp;
/** Every Graph request the feed sent, with the status it got. */
const sent: { url: URL; status: number }[] = [];
let licensed: SimTenant;
let unlicensed: SimTenant;

beforeAll(async () => {
  world = createWorld({ seed: 5, tenants: 8, days: 2, scenarios: 'none' });
  licensed = world.tenants().find((tenant) => tenant.features.entraP1)!;
  unlicensed = world.tenants().find((tenant) => !tenant.features.entraP1)!;
  for (const tenant of world.tenants()) world.setFeatures(tenant.id, { consented: true });
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
  const inner = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  http = {
    send: async (url, init) => {
      try {
        const response = await inner.send(url, init);
        if (url.includes('/graph/')) sent.push({ url: new URL(url), status: response.status });
        return response;
      } catch (error) {
        const status = (error as { details?: { status?: number } }).details?.status ?? 0;
        if (url.includes('/graph/')) sent.push({ url: new URL(url), status });
        throw error;
      }
    },
    close: () => inner.close(),
  };
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

function collectorTenant(tenant: SimTenant): CollectorTenant {
  return {
    mspId: 'msp',
    tenantId: tenant.id,
    credentials: {
      tenantId: tenant.id,
      clientId: tenant.credentials.clientId,
      clientSecret: new Secret(tenant.credentials.clientSecret),
    },
  };
}

async function readUsers(tenant: SimTenant) {
  const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
  const feed = usersFeed(createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED));
  sent.length = 0;
  const step = await feed.step(collectorTenant(tenant), undefined, world.now());
  const users = step.events.flatMap((item) => (item.kind === 'user-snapshot' ? [item.event] : []));
  return { users, rejects: step.rejects, requests: [...sent] };
}

const usersRequests = (requests: { url: URL; status: number }[]) =>
  requests.filter((request) => request.url.pathname.endsWith('/users'));

/** The latest successful sign-in of each user, from what the simulator holds. */
function lastSuccess(tenantId: string): Map<string, number> {
  const latest = new Map<string, number>();
  for (const kind of ['interactive', 'nonInteractive'] as const) {
    for (const record of world.signIns(tenantId, kind)) {
      if ((record['status'] as { errorCode: number }).errorCode !== 0) continue;
      const at = Date.parse(String(record['createdDateTime']));
      const user = String(record['userId']);
      if (at > (latest.get(user) ?? 0)) latest.set(user, at);
    }
  }
  return latest;
}

describe('users feed', () => {
  it('selects what the normalizer needs, so every user arrives with licences and account state', async () => {
    const { users, rejects } = await readUsers(unlicensed);
    const expected = world.users(unlicensed.id);
    expect(rejects).toEqual([]);
    expect(users.map((user) => user.user_uid).sort()).toEqual(expected.map((user) => String(user['id'])).sort());
    for (const user of users) {
      const record = expected.find((one) => one['id'] === user.user_uid)!;
      expect(user.account_enabled).toBe(record['accountEnabled']);
      expect(user.licence_sku_ids).toEqual(
        (record['assignedLicenses'] as { skuId: string }[]).map((licence) => licence.skuId).sort(),
      );
      expect(user.created_time).toBe(Date.parse(String(record['createdDateTime'])));
    }
  });

  it('asks a tenant without Entra ID P1 for no signInActivity, and subscribedSkus with no query options', async () => {
    const { requests } = await readUsers(unlicensed);
    const skus = requests.filter((request) => request.url.pathname.endsWith('/subscribedSkus'));
    expect(skus).toHaveLength(1);
    expect([...skus[0]!.url.searchParams.keys()]).toEqual([]);
    const users = usersRequests(requests);
    expect(users.length).toBeGreaterThan(0);
    for (const request of users) expect(request.url.searchParams.get('$select')).not.toMatch(/signInActivity/i);
  });

  it('reads the last successful sign-in where the tenant has Entra ID P1', async () => {
    const { users, rejects, requests } = await readUsers(licensed);
    expect(rejects).toEqual([]);
    expect(usersRequests(requests)[0]!.url.searchParams.get('$select')).toMatch(/signInActivity/);
    const latest = lastSuccess(licensed.id);
    expect(latest.size).toBeGreaterThan(0);
    expect(users).toHaveLength(world.users(licensed.id).length);
    for (const user of users) expect(user.last_sign_in_time).toBe(latest.get(user.user_uid) ?? null);
  });

  it('falls back to reading users without signInActivity when Graph refuses it with 403', async () => {
    // Licences say P1, but Graph still refuses (the licence check's known flakiness): the users must not be lost.
    world.setFeatures(licensed.id, { entraP1: false });
    try {
      const { users, rejects, requests } = await readUsers(licensed);
      expect(rejects).toEqual([]);
      expect(users).toHaveLength(world.users(licensed.id).length);
      expect(users.every((user) => user.last_sign_in_time === null)).toBe(true);
      const statuses = usersRequests(requests).map((request) => ({
        status: request.status,
        activity: /signInActivity/.test(request.url.searchParams.get('$select') ?? ''),
      }));
      expect(statuses[0]).toEqual({ status: 403, activity: true });
      expect(statuses.slice(1).every((request) => request.status === 200 && !request.activity)).toBe(true);
    } finally {
      world.setFeatures(licensed.id, { entraP1: true });
    }
  });
});
