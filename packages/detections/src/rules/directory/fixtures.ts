/** Builders for directory-audit scenarios: valid records of tenant-fabrikam; override what the scenario is about. */
import type { AuditTarget, DirectoryAudit, ModifiedProperty } from '@nightjar/events';
import type { ScenarioEvent } from '../../testing/scenario.ts';
import { MSP, T0, TENANT } from '../../testing/sign-ins.ts';

let sequence = 0;

export function directoryAudit(overrides: Partial<DirectoryAudit> = {}): DirectoryAudit {
  sequence += 1;
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'graph.directoryAudits',
    event_id: `da-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0 + 60_000,
    activity: 'Update user',
    category: 'UserManagement',
    operation_type: 'Update',
    result: 'success',
    result_reason: null,
    logged_by_service: 'Core Directory',
    correlation_id: `corr-da-${sequence}`,
    actor_user_uid: 'uid-admin@fabrikam.example',
    actor_user_name: 'admin@fabrikam.example',
    actor_ip: '198.51.100.20',
    actor_app_uid: null,
    actor_app_name: null,
    targets: [],
    raw: '{}',
    ...overrides,
  };
}

export function userTarget(userName: string, properties: ModifiedProperty[] = []): AuditTarget {
  return { uid: `uid-${userName}`, name: null, type: 'User', user_name: userName, modified_properties: properties };
}

export function objectTarget(
  type: string,
  name: string,
  uid: string,
  properties: ModifiedProperty[] = [],
): AuditTarget {
  return { uid, name, type, user_name: null, modified_properties: properties };
}

/** A modified property with its values JSON-encoded, as Microsoft sends them. */
export function property(name: string, oldValue: unknown, newValue: unknown): ModifiedProperty {
  return { name, old_value: JSON.stringify(oldValue), new_value: JSON.stringify(newValue) };
}

export const directoryAudits = (events: readonly DirectoryAudit[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'directory-audit', event }));
