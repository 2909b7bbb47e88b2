import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimTenant } from '../world/cloud.ts';
import { createWorld } from '../world/world.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';
import { DEFAULT_USER_PROPERTIES } from './user-views.ts';

let simulator: RunningSimulator;
let agent: Agent;
let licensed: SimTenant;
let unlicensed: SimTenant;

async function get(url: string, bearer?: string) {
  const response = await request(url, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    dispatcher: agent,
  });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

async function graphToken(tenant: SimTenant): Promise<string> {
  const response = await request(`${simulator.urls.authority}/${tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.credentials.clientId,
      client_secret: tenant.credentials.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
    dispatcher: agent,
  });
  return String(((await response.body.json()) as { access_token: string }).access_token);
}

const values = (body: Record<string, unknown>) => body['value'] as Record<string, unknown>[];

beforeAll(async () => {
  const world = createWorld({ seed: 5, tenants: 8, days: 2, scenarios: 'none' });
  for (const tenant of world.tenants()) world.setFeatures(tenant.id, { consented: true });
  licensed = world.tenants().find((tenant) => tenant.features.entraP1)!;
  unlicensed = world.tenants().find((tenant) => !tenant.features.entraP1)!;
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
  agent = new Agent({ connect: { ca: simulator.caCertPem } });
});
afterAll(async () => {
  await agent.close();
  await simulator.close();
});

describe('Graph users as Microsoft serves them', () => {
  it('returns only the default properties without $select, so accountEnabled and licences are absent', async () => {
    const { status, json } = await get(`${simulator.urls.graph}/v1.0/users`, await graphToken(unlicensed));
    expect(status).toBe(200);
    const allowed = new Set<string>(['id', ...DEFAULT_USER_PROPERTIES]);
    for (const user of values(json)) {
      expect(Object.keys(user).filter((key) => !allowed.has(key))).toEqual([]);
      expect(user['userPrincipalName']).toEqual(expect.any(String));
    }
  });

  it('returns the selected properties and id with $select', async () => {
    const url = `${simulator.urls.graph}/v1.0/users?$select=accountEnabled,assignedLicenses`;
    const { json } = await get(url, await graphToken(unlicensed));
    for (const user of values(json))
      expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'assignedLicenses', 'id']);
  });

  it('refuses signInActivity with 403 to a tenant without Entra ID P1, and serves it with P1', async () => {
    const url = `${simulator.urls.graph}/v1.0/users?$select=id,signInActivity&$top=999`;
    const refused = await get(url, await graphToken(unlicensed));
    expect(refused.status).toBe(403);
    expect((refused.json['error'] as { code: string }).code).toBe(
      'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    );
    const served = await get(url, await graphToken(licensed));
    expect(served.status).toBe(200);
    const activities = values(served.json).map((user) => user['signInActivity'] as Record<string, unknown>);
    expect(activities.some((activity) => typeof activity['lastSuccessfulSignInDateTime'] === 'string')).toBe(true);
  });
});

describe('late arrival of sign-ins', () => {
  it('hides each sign-in until the delay after its createdDateTime has passed, and only while the fault is on', async () => {
    const token = await graphToken(licensed);
    const url = `${simulator.urls.graph}/v1.0/auditLogs/signIns`;
    const newest = (body: Record<string, unknown>) => Date.parse(String(values(body)[0]?.['createdDateTime']));
    const now = simulator.context.clock.now();
    const before = await get(url, token);
    simulator.context.faults.add({
      kind: 'lateArrival',
      endpoint: 'signIns',
      tenantId: licensed.id,
      delayMs: 7_200_000,
    });
    try {
      const during = await get(url, token);
      expect(newest(during.json)).toBeLessThanOrEqual(now - 7_200_000);
      expect(newest(before.json)).toBeGreaterThan(newest(during.json));
      // A per-request fault on the same endpoint still fires: lateArrival neither consumes nor shadows it.
      simulator.context.faults.add({ kind: '503', endpoint: 'signIns', tenantId: licensed.id, count: 1 });
      expect((await get(url, token)).status).toBe(503);
    } finally {
      simulator.context.faults.clear();
    }
    expect(newest((await get(url, token)).json)).toBe(newest(before.json));
  });
});
