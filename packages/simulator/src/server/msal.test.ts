import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimTenant, World } from '../world/cloud.ts';
import { createWorld } from '../world/world.ts';
import { startSimulator, type RunningSimulator } from './simulator.ts';

let simulator: RunningSimulator;
let world: World;
let agent: Agent;
let tenant: SimTenant;

/** msal-node's network module over undici, trusting only the simulator's CA. */
const networkClient = (): INetworkModule => {
  const send = async (
    url: string,
    method: 'GET' | 'POST',
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const response = await request(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      dispatcher: agent,
    });
    return {
      status: response.statusCode,
      headers: response.headers as Record<string, string>,
      body: (await response.body.json()) as never,
    };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
};

function msal(tenantId: string, clientId: string, clientSecret: string, withMetadata = false) {
  const base = simulator.urls.authority;
  // authorityMetadata skips the discovery GET, as the contract's offline-safe configuration does (§1.4).
  const metadata = JSON.stringify({
    token_endpoint: `${base}/{tenant}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/{tenant}/oauth2/v2.0/authorize`,
    issuer: `${base}/{tenant}/v2.0`,
    jwks_uri: `${base}/{tenant}/discovery/v2.0/keys`,
  });
  return new ConfidentialClientApplication({
    auth: {
      clientId,
      clientSecret,
      authority: `${base}/${tenantId}`,
      knownAuthorities: [new URL(base).host],
      ...(withMetadata ? { authorityMetadata: metadata } : {}),
    },
    system: { networkClient: networkClient() },
  });
}

const GRAPH = 'https://graph.microsoft.com/.default';

async function failure(app: ConfidentialClientApplication): Promise<{ errorCode?: string; errorMessage?: string }> {
  try {
    await app.acquireTokenByClientCredential({ scopes: [GRAPH], skipCache: true });
  } catch (error) {
    return error as { errorCode?: string; errorMessage?: string };
  }
  throw new Error('msal obtained a token where Entra refuses one');
}

beforeAll(async () => {
  world = createWorld({ seed: 5, tenants: 2, days: 1, scenarios: 'none' });
  simulator = await startSimulator({ world, clockFactor: 0 });
  agent = new Agent({ connect: { ca: simulator.caCertPem } });
  tenant = world.tenants()[0]!;
  world.setFeatures(tenant.id, { consented: true });
});
afterAll(async () => {
  await agent.close();
  await simulator.close();
});

describe('@azure/msal-node against the simulated Entra ID', () => {
  it('obtains expiring tokens for Graph, the Management API and Partner Center', async () => {
    const customer = msal(tenant.id, tenant.credentials.clientId, tenant.credentials.clientSecret);
    for (const scope of [GRAPH, 'https://manage.office.com/.default']) {
      const result = await customer.acquireTokenByClientCredential({ scopes: [scope] });
      expect(result?.accessToken.split('.')).toHaveLength(3);
      expect(result!.expiresOn!.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    }
    const { tenantId, clientId, clientSecret } = simulator.partner;
    const partner = await msal(tenantId, clientId, clientSecret).acquireTokenByClientCredential({
      scopes: ['https://api.partnercenter.microsoft.com/.default'],
    });
    expect(partner?.accessToken.split('.')).toHaveLength(3);
  });

  it('surfaces the AADSTS code of a wrong secret, missing consent and an expired secret', async () => {
    const { id, credentials } = tenant;
    const wrong = await failure(msal(id, credentials.clientId, 'not-the-secret'));
    expect(wrong.errorCode).toBe('invalid_client');
    expect(wrong.errorMessage).toContain('AADSTS7000215');

    world.setFeatures(id, { consented: false });
    const unconsented = await failure(msal(id, credentials.clientId, credentials.clientSecret));
    world.setFeatures(id, { consented: true });
    expect(unconsented.errorMessage).toContain('AADSTS65001');

    simulator.context.faults.add({ kind: 'expiredSecret', tenantId: id });
    const expired = await failure(msal(id, credentials.clientId, credentials.clientSecret));
    simulator.context.faults.clear();
    expect(expired.errorCode).toBe('invalid_client');
    expect(expired.errorMessage).toContain('AADSTS7000222');
  });

  it('answers an unknown tenant with 90002: at discovery, and at the token endpoint when discovery is skipped', async () => {
    const unknown = '00000000-0000-0000-0000-00000000dead';
    const discovered = await failure(msal(unknown, tenant.credentials.clientId, 'x'));
    // msal stops at the discovery document's 400 and reports its own code, not Entra's.
    expect(discovered.errorCode).toBe('endpoints_resolution_error');
    const direct = await failure(msal(unknown, tenant.credentials.clientId, 'x', true));
    expect(direct.errorCode).toBe('invalid_request');
    expect(direct.errorMessage).toContain('AADSTS90002');
  });

  it('caches the throttle of a 429 on the token endpoint, as msal does with Retry-After', async () => {
    simulator.context.faults.add({
      kind: '429',
      endpoint: 'token',
      tenantId: tenant.id,
      count: 1,
      retryAfterSeconds: 30,
    });
    const app = msal(tenant.id, tenant.credentials.clientId, tenant.credentials.clientSecret);
    const throttled = await failure(app);
    expect(throttled.errorMessage).toContain('AADSTS90055');
    // The fault is spent; msal still refuses without a request until Retry-After passes.
    expect(simulator.context.faults.list()).toEqual([]);
    expect((await failure(app)).errorMessage).toContain('AADSTS90055');
  });

  it('works with the default fetch client when the CA comes from NODE_EXTRA_CA_CERTS', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'nightjar-msal-'));
    const script = join(directory, 'token.mjs');
    const msalEntry = import.meta.resolve('@azure/msal-node');
    await writeFile(
      script,
      `const { ConfidentialClientApplication } = await import(${JSON.stringify(msalEntry)});
const [authority, host, clientId, clientSecret] = process.argv.slice(2);
const app = new ConfidentialClientApplication({ auth: { clientId, clientSecret, authority, knownAuthorities: [host] } });
const result = await app.acquireTokenByClientCredential({ scopes: ['${GRAPH}'] });
process.stdout.write(String(result.accessToken.split('.').length));`,
    );
    // Asynchronous on purpose: this process serves the child's requests.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        script,
        `${simulator.urls.authority}/${tenant.id}`,
        new URL(simulator.urls.authority).host,
        tenant.credentials.clientId,
        tenant.credentials.clientSecret,
      ],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: simulator.caCertPath } },
    );
    expect(stdout).toBe('3');
  });
});
