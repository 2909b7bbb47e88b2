import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunningSimulator, World } from '@nightjar/simulator';

/** The test's environment without the NIGHTJAR_ settings of the shell it runs in. */
export function withoutNightjarSettings(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('NIGHTJAR_')));
}

/**
 * Settings that point a process at the simulator's Microsoft endpoints and at
 * a tenants file, written into `dir`, holding every tenant of `world` for `mspId`.
 */
export function simulatedTenantsSettings(
  simulator: RunningSimulator,
  world: World,
  mspId: string,
  dir: string,
): NodeJS.ProcessEnv {
  const tenantsFile = join(dir, 'tenants.yaml');
  const tenants = world.tenants().map((tenant) => ({
    tenantId: tenant.id,
    domain: tenant.domain,
    clientId: tenant.credentials.clientId,
    clientSecret: tenant.credentials.clientSecret,
  }));
  writeFileSync(tenantsFile, stringify({ msps: [{ id: mspId, tenants }] }));
  return {
    NIGHTJAR_MICROSOFT_AUTHORITY_URL: simulator.urls.authority,
    NIGHTJAR_MICROSOFT_GRAPH_URL: simulator.urls.graph,
    NIGHTJAR_MICROSOFT_MANAGEMENT_URL: simulator.urls.management,
    NIGHTJAR_MICROSOFT_PARTNER_CENTER_URL: simulator.urls.partnerCenter,
    NIGHTJAR_MICROSOFT_CA_CERT_FILE: simulator.caCertPath,
    NIGHTJAR_COLLECTOR_TENANTS_FILE: tenantsFile,
  };
}
