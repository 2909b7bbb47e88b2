import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaVersion, type SchemaVersion } from './codec.ts';
import type { Alert } from './generated/alert.ts';
import type { AuditRecord } from './generated/audit-record.ts';
import type { DeadLetter } from './generated/dead-letter.ts';
import type { Delivery } from './generated/delivery.ts';
import type { DeviceChange } from './generated/device-change.ts';
import type { DeviceSnapshot } from './generated/device-snapshot.ts';
import type { DirectoryAudit } from './generated/directory-audit.ts';
import type { FeedHealth } from './generated/feed-health.ts';
import type { SignIn } from './generated/sign-in.ts';
import type { SubscriptionChange } from './generated/subscription-change.ts';
import type { SubscriptionSnapshot } from './generated/subscription-snapshot.ts';
import type { TenantCapability } from './generated/tenant-capability.ts';
import type { UserSnapshot } from './generated/user-snapshot.ts';

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas', 'avro');

/** Every event kind, the Avro schema that defines it, its topic and how it is keyed. */
export interface EventKinds {
  'sign-in': SignIn;
  'directory-audit': DirectoryAudit;
  'audit-record': AuditRecord;
  'user-snapshot': UserSnapshot;
  'device-snapshot': DeviceSnapshot;
  'device-change': DeviceChange;
  'subscription-snapshot': SubscriptionSnapshot;
  'subscription-change': SubscriptionChange;
  'tenant-capability': TenantCapability;
  'feed-health': FeedHealth;
  'dead-letter': DeadLetter;
  alert: Alert;
  delivery: Delivery;
}
export type EventKind = keyof EventKinds;

export interface EventKindSpec<K extends EventKind> {
  readonly kind: K;
  /** Topic name without the configured prefix. */
  readonly topic: string;
  /** Order holds per key: tenant plus the entity whose history must stay ordered. */
  readonly key: (event: EventKinds[K]) => string;
  readonly schema: SchemaVersion;
}

function spec<K extends EventKind>(kind: K, topic: string, key: (event: EventKinds[K]) => string): EventKindSpec<K> {
  return { kind, topic, key, schema: schemaVersion(readFileSync(join(SCHEMA_DIR, `${kind}.avsc`), 'utf8')) };
}

export const EVENT_KINDS: { readonly [K in EventKind]: EventKindSpec<K> } = {
  'sign-in': spec('sign-in', 'signins', (event) => `${event.tenant_id}/${event.user_uid}`),
  'directory-audit': spec(
    'directory-audit',
    'directory-audits',
    (event) => `${event.tenant_id}/${event.targets[0]?.uid ?? event.actor_user_uid ?? ''}`,
  ),
  'audit-record': spec('audit-record', 'audit-records', (event) => `${event.tenant_id}/${event.user_id}`),
  'user-snapshot': spec('user-snapshot', 'users', (event) => `${event.tenant_id}/${event.user_uid}`),
  'device-snapshot': spec('device-snapshot', 'devices', (event) => `${event.tenant_id}/${event.device_uid}`),
  'device-change': spec('device-change', 'device-changes', (event) => `${event.tenant_id}/${event.device_uid}`),
  'subscription-snapshot': spec(
    'subscription-snapshot',
    'subscriptions',
    (event) => `${event.tenant_id}/${event.subscription_uid}`,
  ),
  'subscription-change': spec(
    'subscription-change',
    'subscription-changes',
    (event) => `${event.tenant_id}/${event.subscription_uid}`,
  ),
  'tenant-capability': spec('tenant-capability', 'tenant-capabilities', (event) => `${event.tenant_id}/${event.feed}`),
  // Keyed like capabilities: each tenant's reports of one feed stay in order, and compaction keeps the newest.
  'feed-health': spec('feed-health', 'feed-health', (event) => `${event.tenant_id}/${event.feed}`),
  'dead-letter': spec('dead-letter', 'dead-letters', (event) => `${event.tenant_id ?? ''}/${event.source}`),
  // Keyed by alert id so every revision of an incident stays in order on one partition.
  alert: spec('alert', 'alerts', (event) => event.alert_id),
  // Every attempt of one delivery on one partition, in order.
  delivery: spec('delivery', 'deliveries', (event) => event.delivery_id),
};
