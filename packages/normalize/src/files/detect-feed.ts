import { first, get, isRecord, text } from '../fields.ts';
import { diagnosticBody, isManagementRecord } from '../shapes.ts';

export type Feed = 'signins' | 'directory' | 'audit' | 'devices' | 'subscriptions';

/** Diagnostic-setting categories and Sentinel tables that hold sign-ins, in lower case. */
const SIGN_IN_CATEGORIES = new Set([
  'signinlogs',
  'noninteractiveusersigninlogs',
  'serviceprincipalsigninlogs',
  'managedidentitysigninlogs',
  'microsoftserviceprincipalsigninlogs',
  'adfssigninlogs',
  'aadnoninteractiveusersigninlogs',
  'aadserviceprincipalsigninlogs',
  'aadmanagedidentitysigninlogs',
]);

const ODATA_FEEDS: Readonly<Record<string, Feed>> = {
  '#microsoft.graph.signin': 'signins',
  '#microsoft.graph.directoryaudit': 'directory',
  '#microsoft.graph.manageddevice': 'devices',
};

/**
 * Which feed a record belongs to, from its shape. Management Activity records are `audit` (their
 * feed), although STS logons and RecordType 8 records also normalize as sign-ins and directory
 * audits. Undefined for records no Nightjar feed carries (risk detections, Graph activity, Intune
 * diagnostic logs, SKUs).
 */
export function detectFeed(record: unknown): Feed | undefined {
  if (!isRecord(record)) return undefined;
  if (isManagementRecord(record)) return 'audit';
  const table = text(first(record, 'Type'))?.toLowerCase();
  if (table === 'officeactivity') return 'audit';
  if (table === 'auditlogs' && first(record, 'ActivityDisplayName') !== undefined) return 'directory';
  if (table !== undefined && SIGN_IN_CATEGORIES.has(table)) return 'signins';
  const body = diagnosticBody(record);
  if (body !== null) {
    const category = text(get(record, 'category'))?.toLowerCase() ?? '';
    if (SIGN_IN_CATEGORIES.has(category)) return 'signins';
    // Intune's AuditLogs and UserRiskEvents share the envelope but carry no activityDisplayName.
    return first(body, 'activityDisplayName') === undefined ? undefined : 'directory';
  }
  const odata = text(get(record, '@odata.type'))?.toLowerCase();
  if (odata !== undefined && ODATA_FEEDS[odata] !== undefined) return ODATA_FEEDS[odata];
  if (first(record, 'createdDateTime') !== undefined && get(record, 'status') !== undefined) {
    if (first(record, 'userPrincipalName', 'userId', 'servicePrincipalId') !== undefined) return 'signins';
  }
  if (first(record, 'activityDisplayName') !== undefined && first(record, 'activityDateTime', 'id') !== undefined) {
    return 'directory';
  }
  if (get(record, 'complianceState') !== undefined && first(record, 'deviceName', 'operatingSystem') !== undefined) {
    return 'devices';
  }
  if (get(record, 'offerId') !== undefined && get(record, 'status') !== undefined) return 'subscriptions';
  // Sentinel OfficeActivity projections (msticpy's demo keeps TimeGenerated, UserId, ClientIP, Operation, Parameters).
  if (first(record, 'Operation') !== undefined && first(record, 'TimeGenerated') !== undefined) return 'audit';
  return undefined;
}
