import { InvalidRecordError } from '@nightjar/core';
import type { AuditTarget, DirectoryAudit, ModifiedProperty } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { first, get, isRecord, list, obj, text, type Rec } from './fields.ts';
import { cleanIp } from './ip.ts';
import { directoryAuditFromManagement } from './directory-audit-management.ts';
import { diagnosticBody, isManagementRecord } from './shapes.ts';
import { requiredTime } from './time.ts';

/** Entra writes some activities with a trailing period or space ("Add User.", "… management "). */
export function activityName(value: string): string {
  return value.trim().replace(/\.$/, '').trim();
}

function modified(value: unknown): ModifiedProperty[] {
  return list(value)
    .filter(isRecord)
    .map((property) => ({
      name: text(first(property, 'displayName', 'Name')) ?? '',
      old_value: text(first(property, 'oldValue', 'OldValue')),
      new_value: text(first(property, 'newValue', 'NewValue')),
    }));
}

function targets(value: unknown): AuditTarget[] {
  return list(value)
    .filter(isRecord)
    .map((target) => ({
      uid: text(get(target, 'id')),
      name: text(get(target, 'displayName')),
      type: text(get(target, 'type')),
      user_name: text(get(target, 'userPrincipalName'))?.toLowerCase() ?? null,
      modified_properties: modified(get(target, 'modifiedProperties')),
    }));
}

function result(value: unknown): string {
  const outcome = text(value)?.toLowerCase();
  if (outcome === undefined) throw new InvalidRecordError('directory audit record has no result');
  return outcome;
}

function fromGraph(record: unknown, body: Rec, envelope: Rec, context: NormalizeContext): DirectoryAudit {
  const id = text(first(body, 'id', 'Id'));
  if (id === null) throw new InvalidRecordError('directory audit record has no id');
  const activityValue =
    text(first(body, 'activityDisplayName', 'OperationName')) ?? text(get(envelope, 'operationName'));
  if (activityValue === null) throw new InvalidRecordError('directory audit record has no activityDisplayName');
  const time = requiredTime(
    first(body, 'activityDateTime', 'createdDateTime') ?? first(envelope, 'time', 'TimeGenerated'),
    'activityDateTime',
  );
  const tenantId = tenantOf(
    context,
    'directory audit',
    first(body, 'tenantId', 'AADTenantId'),
    first(envelope, 'tenantId', 'TenantId'),
  );
  const initiatedBy = obj(get(body, 'initiatedBy')) ?? {};
  const user = obj(get(initiatedBy, 'user'));
  const app = obj(get(initiatedBy, 'app'));
  return {
    ...base(context, tenantId, id, time),
    activity: activityName(activityValue),
    category: text(first(body, 'category', 'Category')),
    operation_type: text(first(body, 'operationType', 'AADOperationType')),
    result: result(first(body, 'result', 'Result')),
    result_reason: text(first(body, 'resultReason', 'ResultReason')),
    logged_by_service: text(first(body, 'loggedByService')),
    correlation_id: text(first(body, 'correlationId')) ?? text(first(envelope, 'correlationId')),
    actor_user_uid: user === null ? null : text(get(user, 'id')),
    actor_user_name: user === null ? null : (text(get(user, 'userPrincipalName'))?.toLowerCase() ?? null),
    actor_ip: cleanIp((user === null ? undefined : get(user, 'ipAddress')) ?? first(envelope, 'callerIpAddress')),
    actor_app_uid: app === null ? null : text(first(app, 'appId', 'servicePrincipalId')),
    actor_app_name: app === null ? null : text(first(app, 'displayName', 'servicePrincipalName')),
    targets: targets(get(body, 'targetResources')),
    raw: JSON.stringify(record),
  };
}

/**
 * A Graph directoryAudit, a diagnostic AuditLogs record, a Sentinel AuditLogs row, or a Management
 * Activity AzureActiveDirectory record (RecordType 8, whose Operation ends in a period).
 */
export function normalizeDirectoryAudit(record: unknown, context: NormalizeContext): DirectoryAudit {
  if (!isRecord(record)) throw new InvalidRecordError('directory audit record is not a JSON object');
  if (isManagementRecord(record)) return directoryAuditFromManagement(record, context);
  const body = diagnosticBody(record);
  return fromGraph(record, body ?? record, record, context);
}
