import { InvalidRecordError } from '@nightjar/core';
import type { AuditTarget, DirectoryAudit } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { first, get, isRecord, list, nameValues, num, text, type Rec } from './fields.ts';
import { cleanIp } from './ip.ts';
import { requiredTime } from './time.ts';

// IdentityType of Actor/Target entries as the samples use it (m365-api.md §9.2).
const UPN_TYPE = 5;
const NAME_TYPE = 1;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Identity {
  readonly id: string;
  readonly type: number | null;
}

function identities(value: unknown): Identity[] {
  const out: Identity[] = [];
  for (const item of list(value)) {
    if (!isRecord(item)) continue;
    const id = text(get(item, 'ID'));
    if (id !== null) out.push({ id, type: num(get(item, 'Type')) });
  }
  return out;
}

function target(rec: Rec): AuditTarget[] {
  const ids = identities(get(rec, 'Target'));
  const objectId = text(get(rec, 'ObjectId'));
  const upn = ids.find((entry) => entry.type === UPN_TYPE)?.id ?? (objectId?.includes('@') === true ? objectId : null);
  const uid = ids.find((entry) => GUID.test(entry.id))?.id ?? null;
  const name = ids.find((entry) => entry.type === NAME_TYPE)?.id ?? objectId;
  const modified = list(get(rec, 'ModifiedProperties'))
    .filter(isRecord)
    .map((property) => ({
      name: text(get(property, 'Name')) ?? '',
      old_value: text(get(property, 'OldValue')),
      new_value: text(get(property, 'NewValue')),
    }));
  if (upn === null && uid === null && name === null && modified.length === 0) return [];
  return [{ uid, name, type: null, user_name: upn?.toLowerCase() ?? null, modified_properties: modified }];
}

function resultOf(status: string | null): string {
  const lower = status?.toLowerCase() ?? '';
  if (lower === 'success' || lower === 'succeeded' || lower === 'true') return 'success';
  if (lower === 'failure' || lower === 'failed' || lower === 'false') return 'failure';
  if (lower === '') throw new InvalidRecordError('directory audit record has no ResultStatus');
  return lower;
}

/** Management Activity AzureActiveDirectory records (RecordType 8): `"Operation": "Add member to role."`. */
export function directoryAuditFromManagement(rec: Rec, context: NormalizeContext): DirectoryAudit {
  const id = text(first(rec, 'Id'));
  if (id === null) throw new InvalidRecordError('directory audit record has no Id');
  const operation = text(get(rec, 'Operation'));
  if (operation === null) throw new InvalidRecordError('directory audit record has no Operation');
  const time = requiredTime(first(rec, 'CreationTime', 'TimeGenerated'), 'CreationTime');
  const tenantId = tenantOf(context, 'directory audit', first(rec, 'OrganizationId', 'TenantId'));
  const actors = identities(get(rec, 'Actor'));
  const actorGuid = actors.find((entry) => GUID.test(entry.id))?.id ?? null;
  const actorName = text(first(rec, 'UserId')) ?? actors.find((entry) => entry.type === UPN_TYPE)?.id ?? null;
  const extended = nameValues(get(rec, 'ExtendedProperties'));
  return {
    ...base(context, tenantId, id, time),
    activity: operation.trim().replace(/\.$/, '').trim(),
    category: null,
    operation_type: null,
    result: resultOf(text(first(rec, 'ResultStatus'))),
    result_reason: extended.get('resultType') ?? extended.get('ResultStatusDetail') ?? null,
    logged_by_service: null,
    correlation_id: text(first(rec, 'InterSystemsId')),
    actor_user_uid: actorGuid,
    actor_user_name: actorName?.toLowerCase() ?? null,
    actor_ip: cleanIp(first(rec, 'ActorIpAddress', 'ClientIP')),
    actor_app_uid: null,
    actor_app_name: null,
    targets: target(rec),
    raw: JSON.stringify(rec),
  };
}
