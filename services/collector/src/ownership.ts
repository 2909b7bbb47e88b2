import type { StateStore } from '@nightjar/state';
import type { Clock } from '@nightjar/core';
import type { CollectorTenant, TenantDirectory } from './tenants.ts';

export interface OwnershipOptions {
  readonly state: StateStore;
  readonly directory: TenantDirectory;
  /** Unique per process (pod name plus a random suffix). */
  readonly processId: string;
  readonly clock: Clock;
  /** A lease not renewed within this time passes to another collector. */
  readonly leaseMs?: number;
}

/**
 * Shares tenants between collector processes without polling one twice:
 * each tenant has a lease in the shared state store, and a process takes at
 * most its fair share (tenants / live collectors), so new processes get work
 * as leases of the others come up for renewal. With the in-memory state of
 * the embedded mode there is one process and it owns everything.
 */
export function leasedTenants(options: OwnershipOptions): {
  owned(): Promise<readonly CollectorTenant[]>;
  release(): Promise<void>;
} {
  const leaseMs = options.leaseMs ?? 30_000;
  const held = new Set<string>();
  const leaseKey = (tenant: CollectorTenant): string =>
    `collector/lease/${tenant.mspId}/${tenant.role ?? 'customer'}/${tenant.tenantId}`;

  return {
    async owned() {
      const now = options.clock.now();
      const { count: live } = await options.state.windowAdd(
        'collector/members',
        options.processId,
        now,
        leaseMs,
        leaseMs * 2,
      );
      const partners = (await options.directory.partners()).map((partner): CollectorTenant => ({
        mspId: partner.mspId,
        tenantId: partner.credentials.tenantId,
        credentials: partner.credentials,
        role: 'partner',
      }));
      const tenants = [...(await options.directory.tenants()), ...partners];
      const fairShare = Math.ceil(tenants.length / Math.max(1, live));
      const mine: CollectorTenant[] = [];
      // Renew what we hold first, then take free tenants up to our share.
      const ordered = [...tenants].sort((a, b) => Number(held.has(leaseKey(b))) - Number(held.has(leaseKey(a))));
      for (const tenant of ordered) {
        const key = leaseKey(tenant);
        if (held.has(key)) {
          if (
            mine.length < fairShare &&
            (await options.state.compareAndSet(key, options.processId, options.processId, leaseMs))
          ) {
            mine.push(tenant);
            continue;
          }
          held.delete(key);
          if (mine.length >= fairShare) await options.state.compareAndSet(key, options.processId, '', 1);
          continue;
        }
        if (mine.length < fairShare && (await options.state.setIfAbsent(key, options.processId, leaseMs))) {
          held.add(key);
          mine.push(tenant);
        }
      }
      return mine;
    },
    async release() {
      await Promise.all([...held].map((key) => options.state.compareAndSet(key, options.processId, '', 1)));
      held.clear();
    },
  };
}
