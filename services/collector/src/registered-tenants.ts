import { Secret, tenantSecretContext, type Sealer } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';
import type { CollectorTenant, PartnerAccount, TenantDirectory } from './tenants.ts';

interface Registration {
  msp_id: string;
  tenant_id: string;
  domain: string | null;
  client_id: string;
  client_secret_sealed: string;
}

/**
 * Tenants onboarded through the API, read from the history store on every
 * refresh. A secret that does not open (another key, an altered row) leaves
 * that tenant out and says why, instead of failing every other tenant.
 */
export function registeredTenantDirectory(
  store: HistoryStore,
  sealer: Sealer,
  onUnreadable: (tenant: { mspId: string; tenantId: string }, error: unknown) => void,
): TenantDirectory {
  return {
    async tenants(): Promise<CollectorTenant[]> {
      const rows = await store.query<Registration>(
        `SELECT msp_id, tenant_id, domain, client_id, client_secret_sealed
         FROM tenant_registrations FINAL WHERE NOT removed ORDER BY msp_id, tenant_id`,
      );
      return rows.flatMap((row) => {
        try {
          const secret = sealer.open(row.client_secret_sealed, tenantSecretContext(row.msp_id, row.tenant_id));
          return [
            {
              mspId: row.msp_id,
              tenantId: row.tenant_id,
              ...(row.domain ? { domain: row.domain } : {}),
              credentials: { tenantId: row.tenant_id, clientId: row.client_id, clientSecret: new Secret(secret) },
            },
          ];
        } catch (error) {
          onUnreadable({ mspId: row.msp_id, tenantId: row.tenant_id }, error);
          return [];
        }
      });
    },
    async partners(): Promise<PartnerAccount[]> {
      return [];
    },
  };
}

/** Tenants from several places (the tenants file and the API), each once. */
export function combinedTenantDirectory(directories: readonly TenantDirectory[]): TenantDirectory {
  return {
    async tenants() {
      const all = new Map<string, CollectorTenant>();
      for (const directory of directories)
        for (const tenant of await directory.tenants()) all.set(`${tenant.mspId}/${tenant.tenantId}`, tenant);
      return [...all.values()];
    },
    async partners() {
      return (await Promise.all(directories.map((directory) => directory.partners()))).flat();
    },
  };
}
