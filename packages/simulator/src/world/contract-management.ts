/** The Management Activity API's common schema and workload fields (m365-api.md §9) as data. */
import type { FieldSpec } from './contract-fields.ts';

export const MANAGEMENT_COMMON: FieldSpec = {
  Id: 'guid',
  RecordType: 'int',
  CreationTime: 'creationTime',
  Operation: 'string',
  OrganizationId: 'guid',
  UserType: 'int',
  UserKey: 'string',
  Workload: 'string',
  ResultStatus: 'string',
  ObjectId: 'string',
  UserId: 'string',
  ClientIP: 'string',
  Version: 'int',
};

const AAD_BASE: FieldSpec = {
  AzureActiveDirectoryEventType: 'int',
  ExtendedProperties: 'array',
  ModifiedProperties: 'array',
  Actor: 'array',
  ActorContextId: 'guid',
  Target: 'array',
  TargetContextId: 'guid',
};
const SHAREPOINT_BASE: FieldSpec = {
  Site: 'guid',
  ItemType: 'string',
  EventSource: 'string',
  UserAgent: 'string',
  ListId: 'guid',
  ListItemUniqueId: 'guid',
  ApplicationDisplayName: 'string',
  IsWorkflow: 'boolean',
  SiteUrl: 'string',
  SourceRelativeUrl: 'string',
  SourceFileName: 'string',
  SourceFileExtension: 'string',
};

/** Workload fields by RecordType, on top of MANAGEMENT_COMMON. */
export const MANAGEMENT_BY_RECORD_TYPE: Readonly<Record<number, FieldSpec>> = {
  1: {
    Parameters: 'array',
    ExternalAccess: 'boolean',
    OriginatingServer: 'string',
    OrganizationName: 'string',
    AppId: 'string',
    ClientAppId: 'string',
  },
  6: SHAREPOINT_BASE,
  8: { ...AAD_BASE, InterSystemsId: 'guid', IntraSystemId: 'guid', SupportTicketId: 'string' },
  13: {
    PolicyDetails: 'array',
    ExchangeMetaData: {
      MessageID: 'string',
      From: 'string',
      To: 'array',
      CC: 'array',
      BCC: 'array',
      Subject: 'string',
      Sent: 'creationTime',
      RecipientCount: 'int',
      UniqueID: 'guid',
    },
    SensitiveInfoDetectionIsIncluded: 'boolean',
  },
  14: { ...SHAREPOINT_BASE, EventData: 'string' },
  15: { ...AAD_BASE, ActorIpAddress: 'string', ApplicationId: 'guid', DeviceProperties: 'array' },
  50: {
    LogonType: 'int',
    InternalLogonType: 'int',
    MailboxGuid: 'guid',
    MailboxOwnerUPN: 'string',
    ClientInfoString: 'string',
    ClientIPAddress: 'string',
    AppId: 'guid',
    ClientAppId: 'guid',
    ExternalAccess: 'boolean',
    OperationCount: 'int',
    OperationProperties: 'array',
    Folders: 'array',
  },
};
