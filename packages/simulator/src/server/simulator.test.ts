import { ConfidentialClientApplication } from '@azure/msal-node';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../world/world.ts';
import type { SimTenant } from '../world/cloud.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';

let simulator: RunningSimulator;
let agent: Agent;
let tenant: SimTenant;
let token: string;

async function call(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; bearer?: string; form?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  if (init.bearer) headers['authorization'] = `Bearer ${init.bearer}`;
  const url = path.startsWith('https://') ? path : `${simulator.urls.authority}${path}`;
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
    dispatcher: agent,
  });
  const text = await response.body.text();
  const json = text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as unknown) : undefined;
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: json as Record<string, unknown> & { value?: Record<string, unknown>[] },
  };
}

const tokenFor = async (target: SimTenant, scope = 'https://graph.microsoft.com/.default') =>
  call(`/${target.id}/oauth2/v2.0/token`, {
    method: 'POST',
    form: {
      grant_type: 'client_credentials',
      client_id: target.credentials.clientId,
      client_secret: target.credentials.clientSecret,
      scope,
    },
  });

beforeAll(async () => {
  const world = createWorld({ seed: 3, tenants: 2, days: 3, scenarios: ['password-spray'] });
  simulator = await startSimulator({ world, clockFactor: 0 });
  agent = new Agent({ connect: { ca: simulator.caCertPem } });
  tenant = world.tenants()[0]!;
  token = String((await tokenFor(tenant)).json['access_token']);
});
afterAll(async () => {
  await agent.close();
  await simulator.close();
});

describe('simulator', () => {
  it('gives @azure/msal-node a token through discovery of its OpenID configuration', async () => {
    const host = new URL(simulator.urls.authority).host;
    const client = new ConfidentialClientApplication({
      auth: {
        clientId: tenant.credentials.clientId,
        clientSecret: tenant.credentials.clientSecret,
        authority: `${simulator.urls.authority}/${tenant.id}`,
        knownAuthorities: [host],
      },
      system: {
        networkClient: {
          sendGetRequestAsync: async (url) => {
            const response = await call(url);
            return { status: response.status, headers: {}, body: response.json as never };
          },
          sendPostRequestAsync: async (url, options) => {
            const response = await request(url, {
              method: 'POST',
              headers: options?.headers ?? {},
              body: options?.body ?? '',
              dispatcher: agent,
            });
            return { status: response.statusCode, headers: {}, body: (await response.body.json()) as never };
          },
        },
      },
    });
    const result = await client.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] });
    expect(result?.accessToken.split('.')).toHaveLength(3);
  });

  it("answers Entra's errors with AADSTS codes", async () => {
    const wrong = await call(`/${tenant.id}/oauth2/v2.0/token`, {
      method: 'POST',
      form: {
        grant_type: 'client_credentials',
        client_id: tenant.credentials.clientId,
        client_secret: 'nope',
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const badScope = await tokenFor(tenant, 'https://graph.microsoft.com/User.Read');
    expect(badScope.json).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
    expect((await call('/not-a-tenant/oauth2/v2.0/token', { method: 'POST', form: {} })).json['error_codes']).toEqual([
      90002,
    ]);
  });

  it('filters sign-ins as Graph does and refuses what Graph refuses', async () => {
    const all = simulator.context.world.signIns(tenant.id, 'interactive');
    const failed = all.filter((record) => (record['status'] as { errorCode: number }).errorCode === 50126);
    const byCode = await call(
      `/graph/v1.0/auditLogs/signIns?$filter=${encodeURIComponent('status/errorCode eq 50126')}&$top=1000`,
      { bearer: token },
    );
    expect(byCode.json.value?.map((record) => record['id'])).toEqual(failed.map((record) => record['id']));
    const newest = String(all[0]!['createdDateTime']);
    const upn = String(all[0]!['userPrincipalName']);
    const filter = `createdDateTime ge ${new Date(Date.parse(newest) - 3_600_000).toISOString()} and createdDateTime le ${newest} and userPrincipalName eq '${upn.toUpperCase()}'`;
    const ranged = await call(`/graph/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`, { bearer: token });
    expect(ranged.json.value!.length).toBeGreaterThan(0);
    for (const record of ranged.json.value!) {
      expect(record['userPrincipalName']).toBe(upn);
      expect(String(record['createdDateTime']) <= newest).toBe(true);
      expect(record).not.toHaveProperty('userAgent');
    }
    const unsupported = await call(
      `/graph/v1.0/auditLogs/signIns?$filter=${encodeURIComponent("mfaDetail/authMethod eq 'x'")}`,
      { bearer: token },
    );
    expect(unsupported.status).toBe(400);
    expect(unsupported.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
  });

  it('serves non-interactive sign-ins from beta with the signInEventTypes filter', async () => {
    const filter = "signInEventTypes/any(t: t eq 'nonInteractiveUser')";
    const response = await call(`/graph/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}&$top=5`, {
      bearer: token,
    });
    expect(response.json.value).toHaveLength(5);
    for (const record of response.json.value!) expect(record['signInEventTypes']).toContain('nonInteractiveUser');
  });

  it('enforces the reporting budget of 5 requests per 10 s per tenant with 429 and Retry-After', async () => {
    const other = simulator.context.world.tenants()[1]!;
    const otherToken = String((await tokenFor(other)).json['access_token']);
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let index = 0; index < 6; index += 1) {
      const response = await call('/graph/v1.0/auditLogs/directoryAudits?$top=1', { bearer: otherToken });
      statuses.push(response.status);
      retryAfter ??= response.headers['retry-after'];
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('turns faults on per tenant and endpoint: 503, then a connection reset mid-page', async () => {
    await call('/admin/faults', {
      method: 'POST',
      body: { kind: '503', tenantId: tenant.id, endpoint: 'users', count: 1 },
    });
    expect((await call('/graph/v1.0/users', { bearer: token })).status).toBe(503);
    expect((await call('/graph/v1.0/users', { bearer: token })).status).toBe(200);
    await call('/admin/faults', {
      method: 'POST',
      body: { kind: 'reset', tenantId: tenant.id, endpoint: 'users', count: 1 },
    });
    await expect(call('/graph/v1.0/users', { bearer: token })).rejects.toThrow();
    expect((await call('/graph/v1.0/users', { bearer: token })).status).toBe(200);
  });

  it('captures Slack and Telegram messages and can answer them 429 with their retry hints', async () => {
    await call('/admin/faults', {
      method: 'POST',
      body: { kind: '429', endpoint: 'slack', count: 1, retryAfterSeconds: 3 },
    });
    const limited = await call('/slack/services/T000/B000/XXX', { method: 'POST', body: { text: 'alert' } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.text).toBe('rate_limited');
    expect((await call('/slack/services/T000/B000/XXX', { method: 'POST', body: { text: 'alert' } })).status).toBe(200);
    await call('/admin/faults', {
      method: 'POST',
      body: { kind: '429', endpoint: 'telegram', count: 1, retryAfterSeconds: 2 },
    });
    const telegramLimited = await call('/telegram/bot123:abc/sendMessage', {
      method: 'POST',
      body: { chat_id: 1, text: 'hi' },
    });
    expect(telegramLimited.json).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 2 } });
    expect(
      (await call('/telegram/bot123:abc/sendMessage', { method: 'POST', body: { chat_id: 1, text: 'hi' } })).json['ok'],
    ).toBe(true);
    expect((await call('/admin/captured/slack')).json).toHaveLength(1);
    expect((await call('/admin/captured/telegram')).json).toHaveLength(1);
  });

  it('captures mail sent through Graph sendMail', async () => {
    const response = await call(`/graph/v1.0/users/soc@${tenant.domain}/sendMail`, {
      method: 'POST',
      bearer: token,
      body: {
        message: {
          subject: 'Alert',
          body: { contentType: 'Text', content: 'x' },
          toRecipients: [{ emailAddress: { address: 'a@b.example' } }],
        },
      },
    });
    expect(response.status).toBe(202);
    expect((await call('/admin/captured/mail')).json).toEqual([
      expect.objectContaining({ from: `soc@${tenant.domain}` }),
    ]);
  });

  it('labels the injected attack and moves the clock on request', async () => {
    const labels = (await call('/admin/labels')).json as unknown as { expectedDetection: string }[];
    expect(labels.some((label) => label.expectedDetection === 'password-spray')).toBe(true);
    const before = Date.parse(String((await call('/admin/clock')).json['now']));
    const after = Date.parse(
      String((await call('/admin/clock', { method: 'POST', body: { advanceMs: 60_000 } })).json['now']),
    );
    expect(after - before).toBe(60_000);
  });
});
