import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimTenant } from '../world/cloud.ts';
import { createWorld } from '../world/world.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';

const HOUR = 3_600_000;

let agent: Agent;
let tenant: SimTenant;
const simulators: RunningSimulator[] = [];
const agents: Agent[] = [];

async function call(simulator: RunningSimulator, path: string, bearer?: string, method: 'GET' | 'POST' = 'GET') {
  const response = await request(path.startsWith('https://') ? path : `${simulator.urls.authority}${path}`, {
    method,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
    dispatcher: agent,
  });
  const text = await response.body.text();
  return { headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
}

async function managementToken(simulator: RunningSimulator): Promise<string> {
  const response = await request(`${simulator.urls.authority}/${tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.credentials.clientId,
      client_secret: tenant.credentials.clientSecret,
      scope: 'https://manage.office.com/.default',
    }).toString(),
    dispatcher: agent,
  });
  return String(((await response.body.json()) as { access_token: string }).access_token);
}

/** Every record Id of every blob listed in the last 23 hours, in listing order, and the repeats the blobs declared. */
async function readDay(repeatedRecords: number): Promise<{ ids: string[]; declared: number }> {
  const world = createWorld({ seed: 5, tenants: 1, days: 2, scenarios: 'none' });
  tenant = world.tenants()[0]!;
  world.setFeatures(tenant.id, { auditEnabled: true, consented: true });
  const simulator = await startSimulator({ world, clockFactor: 0, managementRepeatedRecords: repeatedRecords });
  simulators.push(simulator);
  agent = new Agent({ connect: { ca: simulator.caCertPem } });
  agents.push(agent);
  const token = await managementToken(simulator);
  const root = `/api/v1.0/${tenant.id}/activity/feed`;
  await call(simulator, `${root}/subscriptions/start?contentType=Audit.Exchange`, token, 'POST');
  const now = simulator.context.clock.now();
  const time = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
  const { json } = await call(
    simulator,
    `${root}/subscriptions/content?contentType=Audit.Exchange&startTime=${time(now - 23 * HOUR)}&endTime=${time(now)}`,
    token,
  );
  const ids: string[] = [];
  let declared = 0;
  for (const blob of json as { contentUri: string }[]) {
    const content = await call(simulator, blob.contentUri, token);
    ids.push(...(content.json as { Id: string }[]).map((record) => record.Id));
    declared += Number(content.headers['x-simulator-repeated-records']);
  }
  return { ids, declared };
}

afterAll(async () => {
  for (const each of agents) await each.close();
  for (const simulator of simulators) await simulator.close();
});

describe('Management Activity blobs that repeat records', () => {
  it('repeat none by default', async () => {
    const { ids, declared } = await readDay(0);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(declared).toBe(0);
  });

  it('repeat the chosen share in the next blob, the same ones on every run, and say how many', async () => {
    const once = await readDay(0);
    const first = await readDay(0.5);
    const second = await readDay(0.5);
    const repeats = first.ids.length - new Set(first.ids).size;
    expect(repeats).toBeGreaterThan(0);
    expect(first.declared).toBeGreaterThanOrEqual(repeats);
    expect(new Set(first.ids)).toEqual(new Set(once.ids));
    expect(second.ids).toEqual(first.ids);
  });
});
