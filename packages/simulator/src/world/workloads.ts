/** Exchange mailbox, SharePoint/OneDrive and DLP records (m365-api.md §9.3-9.5). */
import { APPS } from './catalog.ts';
import type { TenantModel, UserModel } from './model.ts';
import type { Random } from './random.ts';
import { addManagement, managementBase } from './audits.ts';
import { creationTime } from './time.ts';

function tenantSlug(model: TenantModel): string {
  return model.tenant.domain.split('.')[0] ?? 'tenant';
}

export function oneDriveUrl(model: TenantModel, user: UserModel): string {
  const personal = user.userPrincipalName.replace(/[@.]/g, '_');
  return `https://${tenantSlug(model)}-my.sharepoint.com/personal/${personal}/`;
}

export function mailItemsAccessed(
  rng: Random,
  model: TenantModel,
  at: number,
  user: UserModel,
  ip: string,
  count: number,
): string {
  const record = {
    ...managementBase(rng, model, at, {
      RecordType: 50,
      Operation: 'MailItemsAccessed',
      Workload: 'Exchange',
      UserId: user.userPrincipalName,
      UserKey: user.puid,
      ClientIP: ip,
    }),
    ClientIPAddress: ip,
    ClientInfoString: 'Client=REST;Client=RESTSystem;',
    AppId: APPS.office.appId,
    ClientAppId: APPS.office.appId,
    LogonType: 0,
    InternalLogonType: 0,
    MailboxGuid: rng.guid(),
    MailboxOwnerUPN: user.userPrincipalName,
    ExternalAccess: false,
    OperationCount: count,
    OperationProperties: [
      { Name: 'MailAccessType', Value: 'Bind' },
      { Name: 'IsThrottled', Value: 'False' },
    ],
    Folders: [
      {
        Id: `LgAAAA${rng.hex(24)}`,
        Path: '\\Inbox',
        FolderItems: Array.from({ length: Math.min(count, 5) }, () => ({
          InternetMessageId: `<${rng.hex(16)}@${model.tenant.domain}>`,
          SizeInBytes: rng.between(4000, 90000),
        })),
      },
    ],
  };
  addManagement(rng, model, 'Audit.Exchange', at, record);
  return String(record.Id);
}

export interface FileOperation {
  readonly at: number;
  readonly user: UserModel;
  readonly ip: string;
  readonly operation: string;
  readonly fileName: string;
  readonly userAgent: string;
  readonly recordType?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function fileOperation(rng: Random, model: TenantModel, op: FileOperation): string {
  const siteUrl = oneDriveUrl(model, op.user);
  const extension = op.fileName.split('.').pop() ?? '';
  const record = {
    ...managementBase(rng, model, op.at, {
      RecordType: op.recordType ?? 6,
      Operation: op.operation,
      Workload: 'OneDrive',
      ObjectId: `${siteUrl}Documents/${op.fileName}`,
      UserId: op.user.userPrincipalName,
      UserKey: `i:0h.f|membership|${op.user.puid.toLowerCase()}@live.com`,
      ClientIP: op.ip,
    }),
    EventSource: 'SharePoint',
    ItemType: 'File',
    Site: rng.guid(),
    WebId: rng.guid(),
    ListId: rng.guid(),
    ListItemUniqueId: rng.guid(),
    SiteUrl: siteUrl,
    SourceRelativeUrl: 'Documents',
    SourceFileName: op.fileName,
    SourceFileExtension: extension,
    UserAgent: op.userAgent,
    ApplicationDisplayName: 'OneDrive',
    IsWorkflow: false,
    ...op.extra,
  };
  addManagement(rng, model, 'Audit.SharePoint', op.at, record);
  return String(record.Id);
}

export interface DlpMatch {
  readonly at: number;
  readonly user: UserModel;
  readonly to: string;
  readonly subject: string;
  readonly severity: 'Low' | 'Medium' | 'High';
  readonly operation?: 'DlpRuleMatch' | 'DlpRuleUndo';
}

export function dlpExchangeMatch(rng: Random, model: TenantModel, match: DlpMatch): string {
  const messageId = `<${rng.hex(20).toUpperCase()}@${model.tenant.domain}>`;
  const record = {
    ...managementBase(rng, model, match.at, {
      RecordType: 13,
      Operation: match.operation ?? 'DlpRuleMatch',
      Workload: 'Exchange',
      ObjectId: messageId,
      UserId: match.user.userPrincipalName,
      UserKey: 'DlpAgent',
      UserType: 4,
    }),
    IncidentId: rng.guid(),
    SensitiveInfoDetectionIsIncluded: false,
    ExchangeMetaData: {
      MessageID: messageId,
      From: match.user.userPrincipalName,
      To: [match.to],
      CC: [],
      BCC: [],
      Subject: match.subject,
      Sent: creationTime(match.at - 12_000),
      RecipientCount: 1,
      UniqueID: rng.guid(),
    },
    PolicyDetails: [
      {
        PolicyId: rng.guid(),
        PolicyName: 'U.S. Financial Data',
        Rules: [
          {
            RuleId: rng.guid(),
            RuleName: 'Credit card numbers sent outside the organization',
            Actions: ['NotifyUser', 'BlockAccess'],
            OverriddenActions: [],
            Severity: match.severity,
            RuleMode: 'Enable',
            ConditionsMatched: {
              SensitiveInformation: [
                {
                  SensitiveType: '50842eb7-edc8-4019-85dd-5a5c1f2bb085',
                  SensitiveInformationTypeName: 'Credit Card Number',
                  Count: rng.between(3, 12),
                  Confidence: 85,
                  UniqueCount: rng.between(3, 12),
                  Location: 'Message Body',
                },
              ],
            },
          },
        ],
      },
    ],
  };
  addManagement(rng, model, 'DLP.All', match.at, record);
  return String(record.Id);
}
