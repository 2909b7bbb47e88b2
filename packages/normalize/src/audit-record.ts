import { InvalidRecordError } from '@nightjar/core';
import type { AuditRecord } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { first, isRecord, text } from './fields.ts';
import { cleanIp } from './ip.ts';
import { contentTypeOf, recordTypeNumber, userTypeNumber } from './record-types.ts';
import { requiredTime } from './time.ts';

/** Common-schema fields (m365-api.md §9.1) and their Sentinel OfficeActivity spellings, typed on the event. */
const COMMON = {
  id: ['Id', 'OfficeId'],
  time: ['CreationTime', 'TimeGenerated'],
  recordType: ['RecordType'],
  operation: ['Operation'],
  tenant: ['OrganizationId', 'TenantId'],
  workload: ['Workload', 'OfficeWorkload'],
  userId: ['UserId'],
  userKey: ['UserKey'],
  userType: ['UserType'],
  ip: ['ClientIP', 'ClientIPAddress', 'Client_IPAddress', 'ActorIpAddress'],
  result: ['ResultStatus'],
  objectId: ['ObjectId', 'OfficeObjectId'],
} as const;

const TYPED = new Set(
  Object.values(COMMON)
    .flat()
    .filter((name) => name !== 'ActorIpAddress' && name !== 'ClientIPAddress' && name !== 'Client_IPAddress')
    .map((name) => name.toLowerCase()),
);

function otherFields(record: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (TYPED.has(key.toLowerCase()) || value === undefined) continue;
    fields[key] = JSON.stringify(value);
  }
  return fields;
}

/** Any Management Activity record: the common schema typed, every other field JSON-encoded in `fields`. */
export function normalizeAuditRecord(record: unknown, context: NormalizeContext): AuditRecord {
  if (!isRecord(record)) throw new InvalidRecordError('audit record is not a JSON object');
  const id = text(first(record, ...COMMON.id));
  if (id === null) throw new InvalidRecordError('audit record has no Id');
  const operation = text(first(record, ...COMMON.operation));
  if (operation === null) throw new InvalidRecordError('audit record has no Operation');
  const time = requiredTime(first(record, ...COMMON.time), 'CreationTime');
  const recordType = recordTypeNumber(first(record, ...COMMON.recordType));
  const workload = text(first(record, ...COMMON.workload));
  const tenantId = tenantOf(context, 'audit', first(record, ...COMMON.tenant));
  const userKey = text(first(record, ...COMMON.userKey));
  return {
    ...base(context, tenantId, id, time),
    content_type: context.contentType ?? contentTypeOf(recordType, workload, operation),
    // -1 when absent (Sentinel projections) or a name newer than our table; the text stays in `raw`.
    record_type: recordType ?? -1,
    operation,
    workload: workload ?? '',
    user_id: text(first(record, ...COMMON.userId)) ?? userKey ?? '',
    user_key: userKey,
    user_type: userTypeNumber(first(record, ...COMMON.userType)),
    src_ip: cleanIp(first(record, ...COMMON.ip)),
    result_status: text(first(record, ...COMMON.result)),
    object_id: text(first(record, ...COMMON.objectId)),
    fields: otherFields(record),
    raw: JSON.stringify(record),
  };
}
