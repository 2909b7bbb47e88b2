import type { DeviceChange } from '@nightjar/events';
import type { ScenarioEvent } from '../../testing/scenario.ts';
import { MSP, T0, TENANT } from '../../testing/sign-ins.ts';

let sequence = 0;

/** A device-change of ana's Windows laptop D1; override what the scenario is about. */
export function deviceChange(overrides: Partial<DeviceChange> = {}): DeviceChange {
  sequence += 1;
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'graph.managedDevices',
    event_id: `dc-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0,
    change: 'compliance',
    previous_value: 'compliant',
    current_value: 'noncompliant',
    device_uid: 'device-d1',
    device_name: 'FAB-LT-0042',
    user_name: 'ana@fabrikam.example',
    os: 'Windows',
    os_version: '10.0.26100.2314',
    compliance_state: 'noncompliant',
    last_sync_time: T0 - 3_600_000,
    enrolled_time: T0 - 90 * 86_400_000,
    is_encrypted: true,
    jail_broken: 'False',
    owner_type: 'company',
    azure_ad_device_uid: 'aad-d1',
    raw: '{}',
    ...overrides,
  };
}

export const deviceChanges = (events: readonly DeviceChange[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'device-change', event }));
