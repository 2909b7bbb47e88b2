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

async function collect(graph: GraphClient, tenant: CollectorTenant, path: string, top: string): Promise<unknown[]> {
  const records: unknown[] = [];
  for await (const page of graph.pages(tenant.credentials, { path, params: { $top: top } }))
    records.push(...page.items);
  return records;
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
      const skus = await collect(graph, tenant, 'subscribedSkus', '100');
      for (const capability of tenantCapabilities(skus, { ...context, source: 'graph.subscribedSkus' })) {
        published[`capability/${capability.feed}`] = capability.event_id;
        if (previous[`capability/${capability.feed}`] !== capability.event_id)
          events.push({ kind: 'tenant-capability', event: capability });
      }
      for (const record of await collect(graph, tenant, 'users', '999')) {
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
      for (const record of await collect(graph, tenant, 'deviceManagement/managedDevices', '1000')) {
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
