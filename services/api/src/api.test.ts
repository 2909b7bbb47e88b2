import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { createSealer, Secret, tenantSecretContext } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';
import { ApiKeys } from './api-keys.ts';
import { buildApi } from './app.ts';
import { historyOfTwoMsps, type MspFixture } from './testing/history.ts';

const PLATFORM_KEY = 'platform-key-for-tests-0123456789abcdef';
const SEALING_KEY = new Secret(randomBytes(32).toString('base64'));

let store: HistoryStore;
let app: FastifyInstance;
let a: MspFixture;
let b: MspFixture;
let adminA: string;
let analystA: string;

beforeAll(async () => {
  ({ store, a, b } = await historyOfTwoMsps());
  app = await buildApi({
    store,
    log: pino({ level: 'silent' }),
    platformKey: new Secret(PLATFORM_KEY),
    sealer: createSealer(SEALING_KEY),
  });
  const keys = new ApiKeys(store, undefined);
  adminA = (await keys.issue(a.mspId, 'admin', 'soc lead')).key;
  analystA = (await keys.issue(a.mspId, 'analyst', 'analyst')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function call(key: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const response = await app.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: response.statusCode, body: response.body, json: () => response.json<Record<string, unknown>>() };
}

type Row = Record<string, unknown>;
const items = (json: Record<string, unknown>): Row[] => json['items'] as Row[];

describe('query API', () => {
  it('filters sign-ins across tenants by user, status, code, country, IP, app and risk', async () => {
    const user = a.users[0]!;
    const byUser = items((await call(analystA, 'GET', `/v1/signins?user=${user}&limit=1000`)).json());
    expect(byUser).toHaveLength(30);
    expect(byUser.every((row) => row['user_name'] === user)).toBe(true);
    expect(byUser.map((row) => String(row['time']))).toEqual(
      byUser
        .map((row) => String(row['time']))
        .sort()
        .reverse(),
    );

    const failures = items(
      (await call(analystA, 'GET', '/v1/signins?status=failure&errorCode=50126&limit=1000')).json(),
    );
    expect(failures.length).toBe(40);
    expect(failures.every((row) => row['status'] === 'failure' && row['status_code'] === 50126)).toBe(true);

    const russia = items(
      (await call(analystA, 'GET', `/v1/signins?country=ru&tenant=${a.tenants[1]}&limit=1000`)).json(),
    );
    expect(russia.every((row) => row['src_country'] === 'RU' && row['tenant_id'] === a.tenants[1])).toBe(true);
    expect(russia.length).toBeGreaterThan(0);

    const ip = a.ips[0]!;
    const fromIp = items((await call(analystA, 'GET', `/v1/signins?ip=${ip}&limit=1000`)).json());
    expect(fromIp.length).toBeGreaterThan(0);
    expect(fromIp.every((row) => row['src_ip'] === ip)).toBe(true);
    expect(new Set(fromIp.map((row) => row['tenant_id'])).size).toBe(2);

    const risky = items((await call(analystA, 'GET', '/v1/signins?risk=high&app=Microsoft%20Teams&limit=1000')).json());
    expect(risky.every((row) => row['risk_level_during'] === 'high' && row['app_name'] === 'Microsoft Teams')).toBe(
      true,
    );
  });

  it('pages with cursors without gaps or repeats, and builds a user history', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const json = (await call(analystA, 'GET', `/v1/signins?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...items(json).map((row) => String(row['event_id'])));
      cursor = json['nextCursor'] as string | null;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const history = (
      await call(analystA, 'GET', `/v1/users/${encodeURIComponent(a.users[1]!)}/signins?limit=50`)
    ).json();
    expect(items(history)).toHaveLength(30);
  });

  it("answers a user's history from signins_by_user exactly as signins holds it, page by page", async () => {
    const user = a.users[2]!;
    for (const filter of ['', `&tenant=${a.tenants[1]}`, '&status=failure&country=nl']) {
      const paged: Row[] = [];
      let cursor: string | null = null;
      do {
        const url = `/v1/users/${encodeURIComponent(user)}/signins?limit=4${filter}${cursor ? `&cursor=${cursor}` : ''}`;
        const json = (await call(analystA, 'GET', url)).json();
        paged.push(...items(json));
        cursor = json['nextCursor'] as string | null;
      } while (cursor);
      expect(paged.length).toBeGreaterThan(0);
      const columns = Object.keys(paged[0]!);
      const where = [
        'msp_id = {msp:String} AND user_name = {user:String}',
        ...(filter.includes('tenant') ? ['tenant_id = {tenant:String}'] : []),
        ...(filter.includes('status') ? ["status = 'failure' AND src_country = 'NL'"] : []),
      ].join(' AND ');
      const fromSignins = await store.query<Row>(
        `SELECT ${columns.join(', ')} FROM signins FINAL WHERE ${where} ORDER BY time DESC, event_id DESC`,
        { msp: a.mspId, user, tenant: a.tenants[1] },
      );
      expect(paged).toEqual(fromSignins.map((row) => ({ ...row, time: `${String(row['time']).replace(' ', 'T')}Z` })));
    }
  });

  it('shows a replayed sign-in once, in a user history and in an IP pivot alike', async () => {
    const user = a.users[3]!;
    const before = items((await call(analystA, 'GET', `/v1/signins?user=${user}&limit=1000`)).json());
    const replayed = await store.query<Record<string, unknown>>(
      'SELECT * FROM signins WHERE user_name = {user:String} ORDER BY time LIMIT 5',
      { user },
    );
    await store.insert(
      'signins',
      replayed.map((row) => ({ ...row, ingest_time: '2026-12-03 00:00:00.000' })),
    );
    const after = items((await call(analystA, 'GET', `/v1/signins?user=${user}&limit=1000`)).json());
    expect(after).toHaveLength(before.length);
    const ip = String(replayed[0]!['src_ip']);
    const pivot = items((await call(analystA, 'GET', `/v1/signins?ip=${ip}&limit=1000`)).json());
    expect(pivot.length).toBe(new Set(pivot.map((row) => row['event_id'])).size);
  });

  it('exports every matching sign-in as streamed CSV and NDJSON', async () => {
    const csv = await call(analystA, 'GET', '/v1/signins/export?format=csv&status=success');
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('event_id');
    expect(lines).toHaveLength(1 + 80);
    const ndjson = await call(analystA, 'GET', `/v1/signins/export?user=${a.users[2]}`);
    const rows = ndjson.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Row);
    expect(rows).toHaveLength(30);
  });

  it('lists alerts, shows one with its deliveries, and records what an admin does with it', async () => {
    const list = items((await call(analystA, 'GET', '/v1/alerts?severity=high')).json());
    expect(list.map((row) => row['alert_id']).sort()).toEqual([...a.alerts].sort());
    expect(list.every((row) => row['status'] === 'open')).toBe(true);
    const id = a.alerts[0]!;
    expect((await call(analystA, 'POST', `/v1/alerts/${id}/actions`, { action: 'acknowledge' })).status).toBe(403);
    const assigned = await call(adminA, 'POST', `/v1/alerts/${id}/actions`, {
      action: 'assign',
      assignee: 'eve@msp.example',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'acknowledged', assignee: 'eve@msp.example' });
    const detail = (await call(analystA, 'GET', `/v1/alerts/${id}`)).json();
    expect(detail['actions']).toEqual([expect.objectContaining({ action: 'assign' })]);
    expect(detail['deliveries']).toEqual([expect.objectContaining({ channel: 'slack', status: 'delivered' })]);
    await call(adminA, 'POST', `/v1/alerts/${id}/actions`, { action: 'close', comment: 'password reset' });
    expect(
      items((await call(analystA, 'GET', '/v1/alerts?status=closed')).json()).map((row) => row['alert_id']),
    ).toEqual([id]);
  });

  it('aggregates sign-ins per tenant and status for a dashboard', async () => {
    const rows = items(
      (await call(analystA, 'GET', '/v1/dashboard/signins?by=tenant,status&from=2020-01-01T00:00:00Z')).json(),
    );
    expect(rows.map((row) => `${String(row['tenant_id'])}/${String(row['status'])}`)).toEqual([
      `${a.tenants[0]}/failure`,
      `${a.tenants[0]}/success`,
      `${a.tenants[1]}/failure`,
      `${a.tenants[1]}/success`,
    ]);
    expect(rows.reduce((sum, row) => sum + Number(row['sign_ins']), 0)).toBe(120);
    expect((await call(analystA, 'GET', '/v1/dashboard/signins?by=tenant;drop')).status).toBe(400);
  });

  it('summarises devices and subscriptions, and lists tenants with their feeds', async () => {
    expect((await call(analystA, 'GET', '/v1/devices/compliance')).json()).toMatchObject({
      devices: 2,
      nonCompliant: 1,
    });
    expect(
      items((await call(analystA, 'GET', '/v1/devices?nonCompliant=true')).json()).map((row) => row['device_uid']),
    ).toEqual([a.devices[0]]);
    expect(items((await call(analystA, 'GET', '/v1/subscriptions?expiringWithinDays=30')).json())).toHaveLength(2);
    expect(items((await call(analystA, 'GET', '/v1/subscriptions?expiringWithinDays=5')).json())).toHaveLength(0);
    const tenants = items((await call(analystA, 'GET', '/v1/tenants')).json());
    expect(tenants.map((row) => row['tenantId'])).toEqual(a.tenants);
    expect(tenants[0]).toMatchObject({ licences: ['AAD_PREMIUM'], feeds: { signins: { available: true } } });
  });

  it("lists each tenant's collector feeds with the health the collectors last reported, by feed name", async () => {
    const tenants = items((await call(analystA, 'GET', '/v1/tenants')).json());
    const health = tenants.map((tenant) => tenant['health'] as Record<string, Record<string, unknown>>);
    expect(health.map((feeds) => Object.keys(feeds))).toEqual([
      ['audit:Audit.Exchange', 'signins'],
      ['audit:Audit.Exchange', 'signins', 'signins-noninteractive'],
    ]);
    expect(health[0]!['signins']).toEqual({
      status: 'ok',
      lastSuccess: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
      lastAttempt: expect.stringMatching(/Z$/) as string,
      lastError: null,
      lastErrorCode: null,
      consecutiveFailures: 0,
      caughtUp: true,
      readThrough: expect.stringMatching(/Z$/) as string,
      reported: expect.stringMatching(/Z$/) as string,
    });
    const failing = health[1]!['signins-noninteractive']!;
    expect(failing).toMatchObject({
      status: 'failing',
      lastError: a.feedError,
      lastErrorCode: 'NJ_MS_UNAVAILABLE',
      consecutiveFailures: 3,
    });
    expect(Date.parse(String(failing['lastAttempt'])) - Date.parse(String(failing['lastSuccess']))).toBe(3_600_000);
    // The capabilities keep their own feed names beside the collectors' ones.
    expect(Object.keys(tenants[1]!['feeds'] as object)).toEqual(['signins']);
    expect(JSON.stringify(tenants)).not.toContain(b.feedError);
  });

  it('answers 400 naming the field, 404 for unknown routes and alerts, 401 without or with a revoked key', async () => {
    const invalid = await call(analystA, 'GET', '/v1/signins?status=maybe&limit=5000');
    expect(invalid.status).toBe(400);
    const fields = (invalid.json()['error'] as { fields: { field: string }[] }).fields.map((entry) => entry.field);
    expect(fields).toEqual(expect.arrayContaining(['querystring.status', 'querystring.limit']));
    expect((await call(analystA, 'GET', '/v1/signins?cursor=bogus')).status).toBe(400);
    expect((await call(analystA, 'GET', '/v1/nothing-here')).status).toBe(404);
    expect((await call(analystA, 'GET', '/v1/alerts/no-such-alert')).status).toBe(404);
    expect((await call(undefined, 'GET', '/v1/signins')).status).toBe(401);
    expect(
      (await call('nj_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'GET', '/v1/signins')).status,
    ).toBe(401);

    const issued = (await call(adminA, 'POST', '/v1/keys', { role: 'analyst', name: 'temp' })).json();
    expect((await call(String(issued['key']), 'GET', '/v1/alerts')).status).toBe(200);
    expect((await call(adminA, 'DELETE', `/v1/keys/${String(issued['keyId'])}`)).status).toBe(204);
    expect((await call(String(issued['key']), 'GET', '/v1/alerts')).status).toBe(401);
  });

  it('onboards a tenant with its secret sealed, never returned, and off-boards it', async () => {
    const tenantId = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const body = {
      tenantId,
      clientId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      clientSecret: 'Sup3r~Secret.Value',
      domain: 'new.example',
    };
    expect((await call(analystA, 'POST', '/v1/tenants', body)).status).toBe(403);
    const invalid = await call(adminA, 'POST', '/v1/tenants', { ...body, tenantId: 'not-a-guid' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('body.tenantId');
    const created = await call(adminA, 'POST', '/v1/tenants', body);
    expect(created.status).toBe(201);
    expect(created.body).not.toContain('Sup3r');
    const [row] = await store.query<{ client_secret_sealed: string }>(
      'SELECT client_secret_sealed FROM tenant_registrations FINAL WHERE tenant_id = {id:String}',
      { id: tenantId },
    );
    expect(row!.client_secret_sealed).not.toContain('Sup3r');
    expect(createSealer(SEALING_KEY).open(row!.client_secret_sealed, tenantSecretContext(a.mspId, tenantId))).toBe(
      'Sup3r~Secret.Value',
    );
    const listed = items((await call(analystA, 'GET', '/v1/tenants')).json());
    expect(listed.find((tenant) => tenant['tenantId'] === tenantId)).toMatchObject({
      onboarded: true,
      domain: 'new.example',
    });
    expect(JSON.stringify(listed)).not.toContain('Sup3r');
    expect((await call(adminA, 'DELETE', `/v1/tenants/${tenantId}`)).status).toBe(204);
    expect((await call(adminA, 'DELETE', `/v1/tenants/${tenantId}`)).status).toBe(404);
    expect(
      items((await call(analystA, 'GET', '/v1/tenants')).json()).map((tenant) => tenant['tenantId']),
    ).not.toContain(tenantId);
  });

  it('lists the rules and keeps detection settings checked against each rule', async () => {
    const rules = items((await call(analystA, 'GET', '/v1/rules')).json());
    expect(rules.length).toBeGreaterThanOrEqual(30);
    const spray = rules.find((rule) => rule['id'] === 'AUTH-005')!;
    const [parameter] = Object.keys(spray['defaults'] as object);
    const wrong = await call(adminA, 'PUT', '/v1/settings/detection', { ruleParams: { 'AUTH-005': { nonsense: 1 } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('AUTH-005 has no parameter nonsense');
    expect((await call(adminA, 'PUT', '/v1/settings/detection', { trustedCidrs: ['10.0.0.0/33'] })).status).toBe(400);
    expect((await call(analystA, 'PUT', '/v1/settings/detection', {})).status).toBe(403);
    const settings = {
      highRiskCountries: ['KP', 'IR'],
      trustedCidrs: ['198.51.100.0/24'],
      ruleParams: { 'AUTH-005': { [parameter!]: (spray['defaults'] as Record<string, unknown>)[parameter!] } },
      suppressions: [
        { rule: 'AUTH-003', user: 'ceo@contoso.example', until: Date.now() + 86_400_000, reason: 'travel' },
      ],
    };
    expect((await call(adminA, 'PUT', '/v1/settings/detection', settings)).status).toBe(200);
    expect((await call(analystA, 'GET', '/v1/settings/detection')).json()).toEqual(settings);
    const after = items((await call(analystA, 'GET', '/v1/rules')).json()).find((rule) => rule['id'] === 'AUTH-005')!;
    expect(after['overrides']).toEqual(settings.ruleParams['AUTH-005']);
  });

  it('keeps notification targets and routes sealed, and shows them back without secrets', async () => {
    const document = {
      targets: { soc: { kind: 'slack', webhookUrl: 'https://hooks.slack.com/services/T1/B1/very-secret-path' } },
      routes: [{ name: 'all high', match: { minSeverity: 'high' }, targets: ['soc'] }],
    };
    const stored = await call(adminA, 'PUT', '/v1/settings/notifications', document);
    expect(stored.status).toBe(200);
    expect(stored.body).not.toContain('very-secret-path');
    const read = await call(analystA, 'GET', '/v1/settings/notifications');
    expect(read.json()).toMatchObject({ targets: { soc: { kind: 'slack', webhookUrl: '***' } } });
    const rows = await store.query<{ document: string }>(
      "SELECT document FROM msp_settings WHERE kind = 'notification'",
    );
    expect(rows.every((row) => !row.document.includes('very-secret-path'))).toBe(true);
    const broken = await call(adminA, 'PUT', '/v1/settings/notifications', {
      ...document,
      routes: [{ name: 'x', targets: ['pager'] }],
    });
    expect(broken.status).toBe(400);
    expect(broken.json()['error']).toMatchObject({
      fields: [{ field: 'body.routes.0.targets.0', message: 'no target "pager"' }],
    });
  });

  it('lets the platform key manage MSP keys and nothing else', async () => {
    const issued = await call(PLATFORM_KEY, 'POST', `/v1/msps/${b.mspId}/keys`, { role: 'admin', name: 'b admin' });
    expect(issued.status).toBe(201);
    expect((await call(PLATFORM_KEY, 'GET', '/v1/signins')).status).toBe(403);
    expect((await call(adminA, 'GET', `/v1/msps/${b.mspId}/keys`)).status).toBe(403);
    const keyOfB = String(issued.json()['key']);
    const signInsOfB = items((await call(keyOfB, 'GET', '/v1/signins?limit=1000')).json());
    expect(signInsOfB).toHaveLength(120);
    expect(signInsOfB.every((row) => String(row['tenant_id']).startsWith('msp-b'))).toBe(true);

    const msps = items((await call(PLATFORM_KEY, 'GET', '/v1/msps')).json());
    expect(msps).toContainEqual({ mspId: b.mspId, activeKeys: 1, keys: 1 });
    expect((await call(adminA, 'GET', '/v1/msps')).status).toBe(403);
    // Suspending B revokes every key it has; A is untouched.
    const suspended = await call(PLATFORM_KEY, 'DELETE', `/v1/msps/${b.mspId}/keys`);
    expect(suspended.json()).toEqual({ revoked: 1 });
    expect((await call(keyOfB, 'GET', '/v1/signins')).status).toBe(401);
    expect((await call(analystA, 'GET', '/v1/signins?limit=1')).status).toBe(200);
    expect(items((await call(PLATFORM_KEY, 'GET', '/v1/msps')).json())).toContainEqual({
      mspId: b.mspId,
      activeKeys: 0,
      keys: 1,
    });
  });

  it('publishes its OpenAPI document and interactive docs', async () => {
    const document = (await call(undefined, 'GET', '/openapi.json')).json();
    expect(Object.keys(document['paths'] as object)).toEqual(
      expect.arrayContaining([
        '/v1/signins',
        '/v1/users/{user}/signins',
        '/v1/alerts/{id}/actions',
        '/v1/devices/compliance',
      ]),
    );
    expect((await call(undefined, 'GET', '/docs')).status).toBeLessThan(400);
  });
});
