/**
 * Audit records: Graph directoryAudits (m365-api.md §4) and the Management
 * Activity API's common schema (§9.1) that every workload record extends.
 */
import type { ManagementContentType, MicrosoftRecord } from './cloud.ts';
import type { TenantModel, UserModel } from './model.ts';
import { MINUTE_MS } from './model.ts';
import type { Random } from './random.ts';
import { creationTime, isoTicks } from './time.ts';

/** Mostly minutes, a tail up to about an hour, as the real feed delivers (§8.4). */
export function auditLatency(rng: Random): number {
  return rng.chance(0.85) ? rng.between(2, 20) * MINUTE_MS : rng.between(20, 65) * MINUTE_MS;
}

export interface CommonFields {
  readonly RecordType: number;
  readonly Operation: string;
  readonly Workload: string;
  readonly ResultStatus?: string;
  readonly ObjectId?: string;
  readonly UserId: string;
  readonly UserKey: string;
  readonly UserType?: number;
  readonly ClientIP?: string;
}

export function managementBase(
  rng: Random,
  model: TenantModel,
  at: number,
  fields: CommonFields,
): { readonly Id: string } & Record<string, unknown> {
  return {
    Id: rng.guid(),
    RecordType: fields.RecordType,
    CreationTime: creationTime(at),
    Operation: fields.Operation,
    OrganizationId: model.tenant.id,
    UserType: fields.UserType ?? 0,
    UserKey: fields.UserKey,
    Workload: fields.Workload,
    ResultStatus: fields.ResultStatus ?? 'Succeeded',
    ObjectId: fields.ObjectId ?? '',
    UserId: fields.UserId,
    ClientIP: fields.ClientIP ?? '',
    Version: 1,
  };
}

export function addManagement(
  rng: Random,
  model: TenantModel,
  type: ManagementContentType,
  at: number,
  record: Record<string, unknown>,
): MicrosoftRecord {
  model.store.addAuditRecord(type, at + auditLatency(rng), record);
  return record;
}

export interface ModifiedProperty {
  readonly displayName: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

export interface DirectoryChange {
  readonly at: number;
  readonly activity: string;
  readonly category: string;
  readonly operationType: string;
  readonly service?: string;
  readonly actor: UserModel | { readonly appId: string; readonly displayName: string };
  readonly actorIp?: string;
  readonly target: {
    readonly id: string;
    readonly displayName: string;
    readonly type: string;
    readonly userPrincipalName?: string;
  };
  readonly modified?: readonly ModifiedProperty[];
}

/** Stores the Graph directoryAudit and its RecordType 8 mirror; returns both ids. */
export function addDirectoryChange(
  rng: Random,
  model: TenantModel,
  change: DirectoryChange,
): { graphId: string; auditId: string } {
  const asUser = 'userPrincipalName' in change.actor ? change.actor : undefined;
  const asApp = 'appId' in change.actor ? change.actor : undefined;
  const graphId = `Directory_${rng.guid()}_${rng.hex(5).toUpperCase()}_${rng.int(1_000_000_000)}`;
  const modified = change.modified ?? [];
  const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
  model.store.addDirectoryAudit(change.at, {
    id: graphId,
    category: change.category,
    correlationId: rng.guid(),
    result: 'success',
    resultReason: '',
    activityDisplayName: change.activity,
    activityDateTime: isoTicks(change.at, rng.int(10000)),
    loggedByService: change.service ?? 'Core Directory',
    operationType: change.operationType,
    initiatedBy: {
      user: asUser
        ? {
            id: asUser.id,
            displayName: null,
            userPrincipalName: asUser.userPrincipalName,
            ipAddress: change.actorIp ?? '',
            userType: null,
            homeTenantId: null,
            homeTenantName: null,
          }
        : null,
      app: asApp
        ? {
            appId: asApp.appId,
            displayName: asApp.displayName,
            servicePrincipalId: rng.guid(),
            servicePrincipalName: null,
          }
        : null,
    },
    targetResources: [
      {
        id: change.target.id,
        displayName: change.target.displayName,
        type: change.target.type,
        userPrincipalName: change.target.userPrincipalName ?? null,
        groupType: null,
        modifiedProperties: modified.map((p) => ({
          displayName: p.displayName,
          oldValue: json(p.oldValue),
          newValue: json(p.newValue),
        })),
      },
    ],
    additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/136.0.0.0' }],
  });
  const actorId = asUser?.userPrincipalName ?? asApp?.displayName ?? '';
  const record = {
    ...managementBase(rng, model, change.at, {
      RecordType: 8,
      Operation: `${change.activity}.`,
      Workload: 'AzureActiveDirectory',
      ResultStatus: 'Success',
      ObjectId: change.target.userPrincipalName ?? change.target.id,
      UserId: actorId,
      UserKey: asUser ? `${asUser.puid}@${model.tenant.domain}` : (asApp?.appId ?? ''),
      ClientIP: change.actorIp ?? '',
    }),
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [{ Name: 'additionalDetails', Value: '{}' }],
    ModifiedProperties: modified.map((p) => ({
      Name: p.displayName,
      NewValue: json(p.newValue) ?? '',
      OldValue: json(p.oldValue) ?? '',
    })),
    Actor: [{ ID: actorId, Type: asUser ? 5 : 1 }],
    ActorContextId: model.tenant.id,
    InterSystemsId: rng.guid(),
    IntraSystemId: rng.guid(),
    SupportTicketId: '',
    Target: [
      { ID: change.target.userPrincipalName ?? change.target.id, Type: change.target.userPrincipalName ? 5 : 2 },
    ],
    TargetContextId: model.tenant.id,
  };
  addManagement(rng, model, 'Audit.AzureActiveDirectory', change.at, record);
  return { graphId, auditId: String(record.Id) };
}

/** Exchange admin cmdlet record (RecordType 1, §9.3). */
export function addExchangeCmdlet(
  rng: Random,
  model: TenantModel,
  at: number,
  actor: UserModel,
  ip: string,
  cmdlet: string,
  objectId: string,
  parameters: Readonly<Record<string, string>>,
): string {
  const record = {
    ...managementBase(rng, model, at, {
      RecordType: 1,
      Operation: cmdlet,
      Workload: 'Exchange',
      ResultStatus: 'True',
      ObjectId: objectId,
      UserId: actor.userPrincipalName,
      UserKey: actor.puid,
      ClientIP: `${ip}:${rng.between(49152, 65535)}`,
    }),
    AppId: '',
    ClientAppId: '',
    ExternalAccess: false,
    OrganizationName: model.tenant.domain,
    OriginatingServer: `AM${rng.int(10)}PR0${rng.int(10)}MB${rng.between(1000, 9999)} (15.20.${rng.between(7000, 8999)}.${rng.between(10, 40)})`,
    Parameters: Object.entries(parameters).map(([Name, Value]) => ({ Name, Value })),
  };
  addManagement(rng, model, 'Audit.Exchange', at, record);
  return String(record.Id);
}
