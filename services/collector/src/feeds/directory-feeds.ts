import { NightjarError } from '@nightjar/core';
import type { DeadLetter, DeviceSnapshot } from '@nightjar/events';
import type { GraphClient } from '@nightjar/m365';
import { diffDevices, normalizeManagedDevice, normalizeUser, tenantCapabilities } from '@nightjar/normalize';
import type { AnyEvent } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';
import type { Feed, FeedStep } from './feed.ts';
import { deadLetter } from './windowed-graph-feed.ts';

/** What was published last, per entity: its content id, so an unchanged entity publishes nothing. */
export interface SnapshotCheckpoint {
  readonly published: Readonly<Record<string, string>>;
}

export interface DeviceCheckpoint {
  /** The last snapshot of every device without its raw record, to diff the next poll against. */
  readonly devices: Readonly<Record<string, Omit<DeviceSnapshot, 'raw'>>>;
}

const MINUTE = 60_000;

/**
 * Without $select Graph returns only a user's default properties, none of
 * which say whether the account is enabled, licensed or a guest (m365-api.md §5.1).
 */
export const USER_PROPERTIES = [
  'id',
  'userPrincipalName',
  'displayName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'createdDateTime',
] as const;

async function collect(
  graph: GraphClient,
  tenant: CollectorTenant,
  path: string,
  params: Readonly<Record<string, string>> = {},
): Promise<unknown[]> {
  const records: unknown[] = [];
  for await (const page of graph.pages(tenant.credentials, { path, params })) records.push(...page.items);
  return records;
}

/**
 * Every user with the properties the normalizer needs, and their last sign-in where the tenant can
 * serve it: signInActivity needs Entra ID P1 (and AuditLog.Read.All), and Graph answers the whole
 * request 403 without them, so a refusal is read again without it rather than losing every user.
 */
async function collectUsers(graph: GraphClient, tenant: CollectorTenant, hasEntraP1: boolean): Promise<unknown[]> {
  const plain = { $select: USER_PROPERTIES.join(','), $top: '999' };
  if (!hasEntraP1) return collect(graph, tenant, 'users', plain);
  try {
    return await collect(graph, tenant, 'users', { ...plain, $select: `${plain.$select},signInActivity` });
  } catch (error) {
    if (!(error instanceof NightjarError && error.details['status'] === 403)) throw error;
    return collect(graph, tenant, 'users', plain);
  }
}

/** Users with their licences, and the tenant's capabilities judged from its SKUs. */
export function usersFeed(graph: GraphClient, intervalMs = 60 * MINUTE): Feed<SnapshotCheckpoint> {
  return {
    name: 'users',
    api: 'graph',
    intervalMs,
    async step(tenant, checkpoint, now): Promise<FeedStep<SnapshotCheckpoint>> {
      const context = { mspId: tenant.mspId, tenantId: tenant.tenantId, ingestTime: now };
      const events: AnyEvent[] = [];
      const rejects: DeadLetter[] = [];
      const published: Record<string, string> = {};
      const previous = checkpoint?.published ?? {};
      // subscribedSkus is neither paged nor filterable (m365-api.md §5.2): no query options.
      const skus = await collect(graph, tenant, 'subscribedSkus');
      const capabilities = tenantCapabilities(skus, { ...context, source: 'graph.subscribedSkus' });
      for (const capability of capabilities) {
        published[`capability/${capability.feed}`] = capability.event_id;
        if (previous[`capability/${capability.feed}`] !== capability.event_id)
          events.push({ kind: 'tenant-capability', event: capability });
      }
      // The sign-in capability is exactly the Entra ID P1 plan that signInActivity needs.
      const hasEntraP1 = capabilities.some((capability) => capability.feed === 'signins' && capability.available);
      for (const record of await collectUsers(graph, tenant, hasEntraP1)) {
        try {
          const user = normalizeUser(record, { ...context, source: 'graph.users' });
          published[user.user_uid] = user.event_id;
          if (previous[user.user_uid] !== user.event_id) events.push({ kind: 'user-snapshot', event: user });
        } catch (error) {
          rejects.push(deadLetter(tenant, 'graph.users', record, error, now));
        }
      }
      return { events, rejects, checkpoint: { published }, caughtUp: true };
    },
  };
}

/** Intune devices: snapshots when they change, and the changes themselves (compliance, OS, enrolled, removed, stale). */
export function devicesFeed(
  graph: GraphClient,
  staleAfterMs = 14 * 24 * 60 * MINUTE,
  intervalMs = 30 * MINUTE,
): Feed<DeviceCheckpoint> {
  return {
    name: 'devices',
    api: 'graph',
    intervalMs,
    async step(tenant, checkpoint, now): Promise<FeedStep<DeviceCheckpoint>> {
      const context = {
        mspId: tenant.mspId,
        tenantId: tenant.tenantId,
        source: 'graph.managedDevices',
        ingestTime: now,
      };
      const previous = checkpoint?.devices ?? {};
      const current: Record<string, Omit<DeviceSnapshot, 'raw'>> = {};
      const events: AnyEvent[] = [];
      const rejects: DeadLetter[] = [];
      for (const record of await collect(graph, tenant, 'deviceManagement/managedDevices', { $top: '1000' })) {
        try {
          const snapshot = normalizeManagedDevice(record, context);
          const { raw: _raw, ...compact } = snapshot;
          current[snapshot.device_uid] = compact;
          const before = previous[snapshot.device_uid];
          if (before?.event_id !== snapshot.event_id) events.push({ kind: 'device-snapshot', event: snapshot });
          for (const change of diffDevices(before && { ...before, raw: '' }, snapshot, now, staleAfterMs))
            events.push({ kind: 'device-change', event: change });
        } catch (error) {
          rejects.push(deadLetter(tenant, 'graph.managedDevices', record, error, now));
        }
      }
      for (const [uid, before] of Object.entries(previous)) {
        if (current[uid]) continue;
        for (const change of diffDevices({ ...before, raw: '' }, undefined, now, staleAfterMs))
          events.push({ kind: 'device-change', event: change });
      }
      return { events, rejects, checkpoint: { devices: current }, caughtUp: true };
    },
  };
}
