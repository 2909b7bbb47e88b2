import { InvalidRecordError } from '@nightjar/core';
import type { DeviceSnapshot } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { bool, first, get, isRecord, text } from './fields.ts';
import { contentId } from './hash.ts';
import { optionalTime } from './time.ts';

/** The device's state without the envelope: what a snapshot id and a diff look at. */
export type DeviceState = Omit<
  DeviceSnapshot,
  'msp_id' | 'tenant_id' | 'source' | 'event_id' | 'time' | 'ingest_time' | 'raw'
>;

/** An Intune managedDevice (Graph v1.0/beta) at one poll. */
export function normalizeManagedDevice(record: unknown, context: NormalizeContext): DeviceSnapshot {
  if (!isRecord(record)) throw new InvalidRecordError('managed device record is not a JSON object');
  const uid = text(get(record, 'id'));
  if (uid === null) throw new InvalidRecordError('managed device record has no id');
  const compliance = text(get(record, 'complianceState'));
  if (compliance === null) throw new InvalidRecordError('managed device record has no complianceState');
  const tenantId = tenantOf(context, 'managed device');
  const state: DeviceState = {
    device_uid: uid,
    device_name: text(first(record, 'deviceName', 'managedDeviceName')),
    user_name: text(first(record, 'userPrincipalName'))?.toLowerCase() ?? null,
    os: text(get(record, 'operatingSystem')),
    os_version: text(get(record, 'osVersion')),
    compliance_state: compliance,
    last_sync_time: optionalTime(get(record, 'lastSyncDateTime'), 'lastSyncDateTime'),
    enrolled_time: optionalTime(get(record, 'enrolledDateTime'), 'enrolledDateTime'),
    is_encrypted: bool(get(record, 'isEncrypted')),
    jail_broken: text(get(record, 'jailBroken')),
    owner_type: text(get(record, 'managedDeviceOwnerType')),
    azure_ad_device_uid: text(get(record, 'azureADDeviceId')),
  };
  return {
    ...base(context, tenantId, contentId('device', tenantId, state), context.ingestTime),
    ...state,
    raw: JSON.stringify(record),
  };
}
