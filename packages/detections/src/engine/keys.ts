import type { KeyScope } from '../rule.ts';

/**
 * Every detection key starts with the MSP, then the tenant (or `*` for
 * MSP-wide, cross-tenant state), then the rule's space: no two tenants, MSPs
 * or rules can read each other's state by construction.
 */
export interface KeyNamespace {
  key(scope: KeyScope | undefined, space: string, local: string): string;
}

export function keyNamespace(mspId: string, tenantId: string): KeyNamespace {
  const msp = encodeURIComponent(mspId);
  const tenant = encodeURIComponent(tenantId);
  return {
    key: (scope, space, local) => `nj:${msp}:${scope === 'msp' ? '*' : tenant}:${space}:${local}`,
  };
}
