import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer, Secret, tenantSecretContext } from '@nightjar/core';
import { createGraphClient, createMicrosoftHttp, createTokenProvider, UNLIMITED } from '@nightjar/m365';
import { MIGRATIONS_DIR } from '@nightjar/sink';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { combinedTenantDirectory, registeredTenantDirectory } from './registered-tenants.ts';
import { staticTenantDirectory } from './tenants.ts';

const key = new Secret(randomBytes(32).toString('base64'));
const sealer = createSealer(key);
let store: HistoryStore;
let simulator: RunningSimulator;

function registration(mspId: string, tenantId: string, clientId: string, secret: string, removed = false, version = 1) {
  return {
    msp_id: mspId,
    tenant_id: tenantId,
    domain: `${tenantId.slice(0, 8)}.example`,
    display_name: null,
    client_id: clientId,
    client_secret_sealed: sealer.seal(secret, tenantSecretContext(mspId, tenantId)),
    removed,
    updated_time: '2026-12-03 07:00:00.000',
    version,
  };
}

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-registered-')) });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
  simulator = await startSimulator({ world: createWorld({ seed: 3, tenants: 3, days: 1, scenarios: 'none' }) });
});
afterAll(async () => {
  await simulator.close();
  await store.close();
});

describe('tenants onboarded through the API', () => {
  it('are read with their sealed secrets opened, and those secrets get real tokens', async () => {
    const [first, second, third] = simulator.context.world.tenants();
    await store.insert('tenant_registrations', [
      registration('msp-1', first!.id, first!.credentials.clientId, first!.credentials.clientSecret),
      registration('msp-1', second!.id, second!.credentials.clientId, second!.credentials.clientSecret),
      registration('msp-1', second!.id, second!.credentials.clientId, second!.credentials.clientSecret, true, 2),
      // Sealed for another tenant's row: must not open here.
      {
        ...registration('msp-1', third!.id, third!.credentials.clientId, 'x'),
        client_secret_sealed: sealer.seal(third!.credentials.clientSecret, tenantSecretContext('msp-1', first!.id)),
      },
    ]);
    const unreadable: string[] = [];
    const directory = registeredTenantDirectory(store, sealer, (tenant) => unreadable.push(tenant.tenantId));
    const tenants = await directory.tenants();
    expect(tenants.map((tenant) => tenant.tenantId)).toEqual([first!.id]);
    expect(unreadable).toEqual([third!.id]);

    const http = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
    const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
    const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), UNLIMITED);
    const pages = graph.pages(tenants[0]!.credentials, { path: 'users', params: { $top: '5' } });
    const page = await pages.next();
    expect(page.done).toBe(false);
    await http.close();
  });

  it('join the tenants file, each tenant once', async () => {
    const [first] = simulator.context.world.tenants();
    const fromFile = staticTenantDirectory([
      {
        mspId: 'msp-1',
        tenantId: first!.id,
        credentials: { tenantId: first!.id, clientId: 'file', clientSecret: new Secret('file') },
      },
    ]);
    const combined = combinedTenantDirectory([fromFile, registeredTenantDirectory(store, sealer, () => undefined)]);
    const tenants = await combined.tenants();
    expect(tenants.filter((tenant) => tenant.tenantId === first!.id)).toHaveLength(1);
  });
});
