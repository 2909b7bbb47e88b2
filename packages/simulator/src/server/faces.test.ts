import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimTenant, World } from '../world/cloud.ts';
import { createWorld } from '../world/world.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';

let simulator: RunningSimulator;
let world: World;
let agent: Agent;
let tenant: SimTenant;

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; form?: Record<string, string> } = {},
) {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: { ...init.headers, ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    dispatcher: agent,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: JSON.parse(text || 'null') as never };
}

async function bearer(tenantId: string, clientId: string, clientSecret: string, scope: string) {
  const answer = await call(`${simulator.urls.authority}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope },
  });
  return { authorization: `Bearer ${(answer.json as { access_token: string }).access_token}` };
}

const customerBearer = (scope: string) =>
  bearer(tenant.id, tenant.credentials.clientId, tenant.credentials.clientSecret, scope);

beforeAll(async () => {
  world = createWorld({ seed: 9, tenants: 2, days: 1, scenarios: 'none' });
  simulator = await startSimulator({ world, clockFactor: 0 });
  agent = new Agent({ connect: { ca: simulator.caCertPem } });
  tenant = world.tenants()[0]!;
  world.setFeatures(tenant.id, { consented: true, entraP1: true, auditEnabled: true });
});
afterAll(async () => {
  await agent.close();
  await simulator.close();
});

describe('each Microsoft host answers in its own words', () => {
  it('Graph: correlation headers on every answer, client-request-id echoed', async () => {
    const auth = await customerBearer('https://graph.microsoft.com/.default');
    const answer = await call(`${simulator.urls.graph}/v1.0/subscribedSkus`, {
      headers: { ...auth, 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['client-request-id']).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(answer.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(String(answer.headers['x-ms-ags-diagnostic']))).toHaveProperty('ServerInfo');
    expect((await call(`${simulator.urls.graph}/v1.0/users`)).headers['request-id']).toBeDefined();
  });

  it('Graph v1.0 refuses a signInEventTypes filter rather than serving an empty page; beta takes it', async () => {
    const auth = await customerBearer('https://graph.microsoft.com/.default');
    const filter = encodeURIComponent("signInEventTypes/any(t: t ne 'interactiveUser')");
    const v1 = await call(`${simulator.urls.graph}/v1.0/auditLogs/signIns?$filter=${filter}`, { headers: auth });
    expect(v1.status).toBe(400);
    expect(v1.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
    const beta = await call(`${simulator.urls.graph}/beta/auditLogs/signIns?$filter=${filter}&$top=3`, {
      headers: auth,
    });
    expect(beta.status).toBe(200);
    for (const record of (beta.json as { value: { signInEventTypes: string[] }[] }).value)
      expect(record.signInEventTypes).not.toContain('interactiveUser');
  });

  it('Management API: AF429 with 403, AF50000 with 503, AF20031 for a bad nextPage, a reset mid-listing', async () => {
    const auth = await customerBearer('https://manage.office.com/.default');
    const root = `${simulator.urls.management}/api/v1.0/${tenant.id}/activity/feed/subscriptions`;
    await call(`${root}/start?contentType=Audit.General`, { method: 'POST', headers: auth });
    const content = `${root}/content?contentType=Audit.General&PublisherIdentifier=${simulator.partner.tenantId}`;
    const faults = simulator.context.faults;
    faults.add({ kind: '429', endpoint: 'management', tenantId: tenant.id, count: 1, retryAfterSeconds: 2 });
    const limited = await call(content, { headers: auth });
    expect(limited.status).toBe(403);
    expect(limited.json).toMatchObject({ error: { code: 'AF429' } });
    expect((limited.json as { error: { message: string } }).error.message).toContain(simulator.partner.tenantId);
    expect(limited.headers['retry-after']).toBe('2');
    faults.add({ kind: '503', endpoint: 'management', tenantId: tenant.id, count: 1 });
    const down = await call(content, { headers: auth });
    expect([down.status, (down.json as { error: { code: string } }).error.code]).toEqual([503, 'AF50000']);
    const badPage = await call(`${content}&nextPage=not-a-page`, { headers: auth });
    expect([badPage.status, (badPage.json as { error: { code: string } }).error.code]).toEqual([400, 'AF20031']);
    faults.add({ kind: 'reset', endpoint: 'management', tenantId: tenant.id, count: 1 });
    await expect(call(content, { headers: auth })).rejects.toThrow();
    expect((await call(content, { headers: auth })).status).toBe(200);
    const refused = await call(content);
    expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    expect(refused.json).toEqual({ Message: 'Authorization has been denied for this request.' });
  });

  it('Partner Center: its own 429 body with Retry-After, 401 with an OAuth realm, request ids echoed', async () => {
    const { tenantId, clientId, clientSecret } = simulator.partner;
    const auth = await bearer(tenantId, clientId, clientSecret, 'https://api.partnercenter.microsoft.com/.default');
    const customers = `${simulator.urls.partnerCenter}/v1/customers?size=10`;
    simulator.context.faults.add({ kind: '429', endpoint: 'partnerCenter', count: 1, retryAfterSeconds: 7 });
    const limited = await call(customers, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json).toEqual({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 7 seconds.' });
    const served = await call(customers, { headers: { ...auth, 'MS-CorrelationId': 'corr-1' } });
    expect([served.status, served.headers['ms-correlationid']]).toEqual([200, 'corr-1']);
    expect(served.headers['ms-requestid']).toBeDefined();
    const refused = await call(customers);
    expect(refused.status).toBe(401);
    expect(String(refused.headers['www-authenticate'])).toMatch(/^OAuth realm=/);
    expect(refused.json).toMatchObject({ code: 401 });
  });
});
