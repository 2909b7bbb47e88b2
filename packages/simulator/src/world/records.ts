/** Every record a world serves right now, by feed; for tests, snapshots and the benchmark. */
import type { MicrosoftRecord, World } from './cloud.ts';
import { CONTENT_TYPES } from './store.ts';

export interface ServedRecords {
  readonly signIns: readonly MicrosoftRecord[];
  readonly directoryAudits: readonly MicrosoftRecord[];
  readonly users: readonly MicrosoftRecord[];
  readonly subscribedSkus: readonly MicrosoftRecord[];
  readonly managedDevices: readonly MicrosoftRecord[];
  readonly auditRecords: readonly MicrosoftRecord[];
  readonly partnerCustomers: readonly MicrosoftRecord[];
  readonly partnerSubscriptions: readonly MicrosoftRecord[];
}

export function servedRecords(world: World): ServedRecords {
  const ids = world.tenants().map((t) => t.id);
  return {
    signIns: ids.flatMap((id) => [...world.signIns(id, 'interactive'), ...world.signIns(id, 'nonInteractive')]),
    directoryAudits: ids.flatMap((id) => world.directoryAudits(id)),
    users: ids.flatMap((id) => world.users(id)),
    subscribedSkus: ids.flatMap((id) => world.subscribedSkus(id)),
    managedDevices: ids.flatMap((id) => world.managedDevices(id)),
    auditRecords: ids.flatMap((id) =>
      CONTENT_TYPES.flatMap((type) => world.auditRecords(id, type).map((r) => r.record)),
    ),
    partnerCustomers: world.partnerCustomers(),
    partnerSubscriptions: ids.flatMap((id) => world.partnerSubscriptions(id)),
  };
}

/** The id under which a label refers to a record, whatever its feed. */
export function recordId(record: MicrosoftRecord): string {
  return String(record['id'] ?? record['Id']);
}
