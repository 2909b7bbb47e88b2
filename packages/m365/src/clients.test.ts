import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, DependencyUnavailableError, Secret, ThrottledError } from '@nightjar/core';
import { createWorld, startSimulator, type RunningSimulator, type SimTenant } from '@nightjar/simulator';
import {
  createGraphClient,
  createManagementClient,
  createMicrosoftHttp,
  createPartnerCenterClient,
  createTokenProvider,
  UNLIMITED,
} from './index.ts';
import type { AppCredentials, ContentBlob, MicrosoftEndpoints, MicrosoftHttp } from './index.ts';

let simulator: RunningSimulator;
let http: MicrosoftHttp;
let endpoints: MicrosoftEndpoints;
let tenant: SimTenant;

const credentialsOf = (target: SimTenant, secret = target.credentials.clientSecret): AppCredentials => ({
  tenantId: target.id,
  clientId: target.credentials.clientId,
  clientSecret: new Secret(secret),
});

beforeAll(async () => {
  const world = createWorld({ seed: 11, tenants: 3, days: 2, scenarios: 'none' });
  // Small pages, so content listings follow NextPageUri as they must for busy tenants.
  simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 100, managementPageBlobs: 5 });
  endpoints = {
    authority: simulator.urls.authority,
    graph: simulator.urls.graph,
    management: simulator.urls.management,
    partnerCenter: simulator.urls.partnerCenter,
    caCertPem: simulator.caCertPem,
  };
  http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
  tenant = world.tenants()[0]!;
});
afterAll(async () => {
  await http.close();
  await simulator.close();
});

describe('Microsoft clients against the simulator', () => {
  it('get tokens from MSAL for Graph, the Management API and Partner Center', async () => {
    const tokens = createTokenProvider(endpoints, http);
    for (const resource of ['graph', 'management'] as const) {
      expect((await tokens.token(credentialsOf(tenant), resource)).split('.')).toHaveLength(3);
    }
    const partner = { ...simulator.partner, clientSecret: new Secret(simulator.partner.clientSecret) };
    expect(await tokens.token(partner, 'partnerCenter')).toMatch(/\./);
  });

  it("turn Entra's refusals into plain words", async () => {
    const tokens = createTokenProvider(endpoints, http);
    await expect(tokens.token(credentialsOf(tenant, 'wrong'), 'graph')).rejects.toThrow(
      /client secret is wrong.*AADSTS7000215/,
    );
    const unknown = { ...credentialsOf(tenant), tenantId: '00000000-0000-4000-8000-000000000000' };
    await expect(tokens.token(unknown, 'graph')).rejects.toThrow(/tenant not found.*AADSTS90002/);
    simulator.context.faults.add({ kind: 'expiredSecret', tenantId: tenant.id });
    try {
      await expect(createTokenProvider(endpoints, http).token(credentialsOf(tenant), 'graph')).rejects.toThrow(
        /secret has expired.*AADSTS7000222/,
      );
    } finally {
      simulator.context.faults.clear();
    }
  });

  it('page every sign-in of a tenant to the end, through injected 429s', async () => {
    const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    simulator.context.faults.add({
      kind: '429',
      tenantId: tenant.id,
      endpoint: 'signIns',
      count: 2,
      retryAfterSeconds: 0.2,
    });
    let received = 0;
    const ids = new Set<string>();
    for await (const page of graph.pages<{ id: string }>(credentialsOf(tenant), {
      path: 'auditLogs/signIns',
      reporting: true,
      params: { $top: '10' },
    })) {
      received += page.items.length;
      for (const item of page.items) ids.add(item.id);
    }
    const expected = simulator.context.world.signIns(tenant.id, 'interactive').length;
    expect(expected).toBeGreaterThan(20);
    expect(received).toBe(expected);
    expect(ids.size).toBe(expected);
  });

  it('stops retrying after the budget of attempts and says it was throttled', async () => {
    const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    simulator.context.faults.add({
      kind: '429',
      tenantId: tenant.id,
      endpoint: 'users',
      count: 10,
      retryAfterSeconds: 0,
    });
    try {
      const pages = graph.pages(credentialsOf(tenant), { path: 'users' }, { attempts: 3 });
      await expect(pages.next()).rejects.toBeInstanceOf(ThrottledError);
    } finally {
      simulator.context.faults.clear();
    }
  });

  it('reads Management Activity content: not subscribed, then started, then every blob', async () => {
    const management = createManagementClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED, {
      publisherId: simulator.partner.tenantId,
    });
    const now = simulator.context.clock.now();
    const window = [new Date(now - 23 * 3_600_000), new Date(now)] as const;
    await expect(management.content(credentialsOf(tenant), 'Audit.Exchange', ...window).next()).rejects.toThrow(
      /AF20022/,
    );
    await management.start(credentialsOf(tenant), 'Audit.Exchange');
    await management.start(credentialsOf(tenant), 'Audit.Exchange');
    let records = 0;
    let pages = 0;
    for await (const blobs of management.content(credentialsOf(tenant), 'Audit.Exchange', ...window)) {
      pages += 1;
      for (const blob of blobs) {
        const content = await management.fetch(credentialsOf(tenant), blob);
        records += 'records' in content ? content.records.length : 0;
      }
    }
    expect(pages).toBeGreaterThan(1);
    // Blobs hold 5 minutes of availability each and are listed by when they were created (the end of those 5 minutes).
    const blobCreated = (availableAt: number): number => Math.floor(availableAt / 300_000) * 300_000 + 300_000;
    const expected = simulator.context.world
      .auditRecords(tenant.id, 'Audit.Exchange')
      .filter(
        (entry) => blobCreated(entry.availableAt) >= window[0].getTime() && blobCreated(entry.availableAt) < now,
      ).length;
    expect(expected).toBeGreaterThan(0);
    expect(records).toBe(expected);
  });

  it('lists CSP customers with continuation paging and their subscriptions', async () => {
    const partnerCenter = createPartnerCenterClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    const partner = { ...simulator.partner, clientSecret: new Secret(simulator.partner.clientSecret) };
    const customers: unknown[] = [];
    for await (const page of partnerCenter.customers(partner)) customers.push(...page);
    expect(customers).toHaveLength(simulator.context.world.partnerCustomers().length);
    const subscriptions = await partnerCenter.subscriptions(partner, tenant.id);
    expect(subscriptions).toHaveLength(simulator.context.world.partnerSubscriptions(tenant.id).length);
  });

  it('pages every Graph collection of a tenant to its end, through 429s and 503s', async () => {
    const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    const world = simulator.context.world;
    const collections = [
      { query: { path: 'users', params: { $top: '7' } }, expected: world.users(tenant.id).length },
      {
        query: { path: 'auditLogs/directoryAudits', reporting: true, params: { $top: '5' } },
        expected: world.directoryAudits(tenant.id).length,
      },
      {
        query: { path: 'deviceManagement/managedDevices', params: { $top: '3' } },
        expected: world.managedDevices(tenant.id).length,
      },
      {
        query: {
          path: 'auditLogs/signIns',
          version: 'beta' as const,
          reporting: true,
          params: { $top: '100', $filter: "signInEventTypes/any(t: t eq 'nonInteractiveUser')" },
        },
        expected: world.signIns(tenant.id, 'nonInteractive').length,
      },
    ];
    for (const endpoint of ['users', 'directoryAudits', 'managedDevices', 'signIns'] as const) {
      simulator.context.faults.add({ kind: '503', tenantId: tenant.id, endpoint, count: 1, retryAfterSeconds: 0 });
      simulator.context.faults.add({ kind: '429', tenantId: tenant.id, endpoint, count: 1, retryAfterSeconds: 0.05 });
    }
    for (const { query, expected } of collections) {
      let received = 0;
      for await (const page of graph.pages(credentialsOf(tenant), query)) received += page.items.length;
      expect(received, query.path).toBe(expected);
      expect(expected, query.path).toBeGreaterThan(0);
    }
    expect(simulator.context.faults.list()).toEqual([]);
  });

  it('says in plain words when consent is missing, Intune is absent or the audit log is off', async () => {
    const world = simulator.context.world;
    const tokens = createTokenProvider(endpoints, http);
    const graph = createGraphClient(endpoints, http, tokens, UNLIMITED);
    const management = createManagementClient(endpoints, http, tokens, UNLIMITED, {
      publisherId: simulator.partner.tenantId,
    });
    const other = world.tenants()[1]!;
    world.setFeatures(other.id, { consented: false });
    await expect(tokens.token(credentialsOf(other), 'graph')).rejects.toThrow(/consent.*AADSTS65001/);
    world.setFeatures(other.id, { consented: true, intune: false, auditEnabled: false });
    try {
      await expect(
        graph.pages(credentialsOf(other), { path: 'deviceManagement/managedDevices' }).next(),
      ).rejects.toThrow('tenant has no Intune licence');
      await expect(management.start(credentialsOf(other), 'Audit.General')).rejects.toThrow(
        'unified audit log is not enabled',
      );
    } finally {
      world.setFeatures(other.id, { intune: other.features.intune, auditEnabled: true });
    }
  });

  it('says so when a tenant has no Entra ID P1', async () => {
    const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    simulator.context.world.setFeatures(tenant.id, { entraP1: false });
    try {
      const error = await graph
        .pages(credentialsOf(tenant), { path: 'auditLogs/signIns', reporting: true })
        .next()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).toBe('tenant has no Entra ID P1 licence: sign-in logs unavailable');
    } finally {
      simulator.context.world.setFeatures(tenant.id, { entraP1: true });
    }
  });
  it('reports content that expired before it was read, naming tenant, content type and content id', async () => {
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const management = createManagementClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED, {
      publisherId: simulator.partner.tenantId,
      log: { warn: (fields, message) => warnings.push({ fields, message }) },
    });
    await management.start(credentialsOf(tenant), 'Audit.General');
    const root = `${endpoints.management}/api/v1.0/${tenant.id}/activity/feed/audit`;
    const blobAt = (bucket: number): ContentBlob => {
      const contentId = `${tenant.id}$Audit.General$${bucket}`;
      return {
        contentType: 'Audit.General',
        contentId,
        contentUri: `${root}/${contentId}`,
        contentCreated: new Date(bucket + 300_000).toISOString(),
        contentExpiration: new Date(bucket + 300_000 + 7 * 86_400_000).toISOString(),
      };
    };
    const now = simulator.context.clock.now();
    const eightDaysAgo = Math.floor((now - 8 * 86_400_000) / 300_000) * 300_000;
    const expired = blobAt(eightDaysAgo);

    expect(await management.fetch(credentialsOf(tenant), expired)).toEqual({ unavailable: 'expired', code: 'AF20051' });
    expect(warnings).toEqual([
      {
        fields: { tenant: tenant.id, contentType: 'Audit.General', contentId: expired.contentId, code: 'AF20051' },
        message: expect.stringContaining('expired') as string,
      },
    ]);
    // Not there yet is no loss: no warning.
    const future = blobAt(Math.floor(now / 300_000) * 300_000);
    expect(await management.fetch(credentialsOf(tenant), future)).toEqual({ unavailable: 'missing', code: 'AF20050' });
    expect(warnings).toHaveLength(1);
  });

  it("waits as long as Entra's Retry-After says when the token endpoint throttles, even from MSAL's cache", async () => {
    const tokens = createTokenProvider(endpoints, http);
    simulator.context.faults.add({
      kind: '429',
      tenantId: tenant.id,
      endpoint: 'token',
      count: 1,
      retryAfterSeconds: 7,
    });
    const first = await tokens.token(credentialsOf(tenant), 'graph').catch((caught: unknown) => caught);
    expect(first).toBeInstanceOf(ThrottledError);
    expect((first as ThrottledError).retryAfterMs).toBeGreaterThan(5_000);
    expect((first as ThrottledError).retryAfterMs).toBeLessThanOrEqual(7_000);
    // MSAL now refuses on its own until the Retry-After has passed; that is still throttling, not a refusal.
    const second = await tokens.token(credentialsOf(tenant), 'graph').catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(ThrottledError);
    expect((second as ThrottledError).retryAfterMs).toBeGreaterThan(5_000);
    expect(simulator.context.faults.list()).toEqual([]);
  });

  it('retries soon when the token endpoint is briefly unavailable, instead of calling it a refusal', async () => {
    const tokens = createTokenProvider(endpoints, http);
    simulator.context.faults.add({
      kind: '503',
      tenantId: tenant.id,
      endpoint: 'token',
      count: 1,
      retryAfterSeconds: 2,
    });
    const error = await tokens.token(credentialsOf(tenant), 'management').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as DependencyUnavailableError).details['retryAfterMs']).toBeGreaterThan(1_000);
    expect((error as DependencyUnavailableError).details['retryAfterMs']).toBeLessThanOrEqual(2_000);
  });
});
