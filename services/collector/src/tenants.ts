import type { AppCredentials } from '@nightjar/m365';

/** A customer tenant a collector polls, with the app registration consented in it. */
export interface CollectorTenant {
  readonly mspId: string;
  readonly tenantId: string;
  readonly domain?: string;
  readonly credentials: AppCredentials;
  /** A partner tenant is polled for Partner Center only (its CSP customers' subscriptions). */
  readonly role?: 'customer' | 'partner';
}

/** An MSP's own partner tenant, for Partner Center (its CSP customers and their subscriptions). */
export interface PartnerAccount {
  readonly mspId: string;
  readonly credentials: AppCredentials;
}

/** Where the collector learns which tenants exist; re-read every cycle so onboarding needs no restart. */
export interface TenantDirectory {
  tenants(): Promise<readonly CollectorTenant[]>;
  partners(): Promise<readonly PartnerAccount[]>;
}

export function staticTenantDirectory(
  tenants: readonly CollectorTenant[],
  partners: readonly PartnerAccount[] = [],
): TenantDirectory {
  return { tenants: async () => tenants, partners: async () => partners };
}
