/** Builders for unified-audit-log scenarios: valid records of tenant-fabrikam; override what the scenario is about. */
import type { AuditRecord } from '@nightjar/events';
import type { ScenarioEvent } from '../../testing/scenario.ts';
import { MSP, T0, TENANT } from '../../testing/sign-ins.ts';

let sequence = 0;

export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  sequence += 1;
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'management.Audit.Exchange',
    event_id: `ar-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0 + 120_000,
    content_type: 'Audit.Exchange',
    record_type: 1,
    operation: 'Set-Mailbox',
    workload: 'Exchange',
    user_id: 'ana@fabrikam.example',
    user_key: null,
    user_type: 2,
    src_ip: '198.51.100.10',
    result_status: 'True',
    object_id: null,
    fields: {},
    raw: '{}',
    ...overrides,
  };
}

/** An Exchange cmdlet record: `Parameters` JSON-encoded as the normalizer keeps it. */
export function cmdlet(
  operation: string,
  parameters: Readonly<Record<string, string>>,
  overrides: Partial<AuditRecord> = {},
): AuditRecord {
  const list = Object.entries(parameters).map(([Name, Value]) => ({ Name, Value }));
  return auditRecord({
    operation,
    object_id: parameters.Identity ?? parameters.Mailbox ?? null,
    fields: { Parameters: JSON.stringify(list), ...overrides.fields },
    ...overrides,
  });
}

export const auditRecords = (events: readonly AuditRecord[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'audit-record', event }));
