/** Management Activity RecordType values (m365-api.md §9.1); unknown values are kept, never rejected. */
export const RECORD_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'ExchangeAdmin'],
  [2, 'ExchangeItem'],
  [3, 'ExchangeItemGroup'],
  [4, 'SharePoint'],
  [6, 'SharePointFileOperation'],
  [7, 'OneDrive'],
  [8, 'AzureActiveDirectory'],
  [9, 'AzureActiveDirectoryAccountLogon'],
  [10, 'DataCenterSecurityCmdlet'],
  [11, 'ComplianceDLPSharePoint'],
  [13, 'ComplianceDLPExchange'],
  [14, 'SharePointSharingOperation'],
  [15, 'AzureActiveDirectoryStsLogon'],
  [18, 'SecurityComplianceCenterEOPCmdlet'],
  [19, 'ExchangeAggregatedOperation'],
  [20, 'PowerBIAudit'],
  [25, 'MicrosoftTeams'],
  [28, 'ThreatIntelligence'],
  [30, 'MicrosoftFlow'],
  [33, 'ComplianceDLPSharePointClassification'],
  [36, 'SharePointListOperation'],
  [40, 'SecurityComplianceAlerts'],
  [41, 'ThreatIntelligenceUrl'],
  [47, 'ThreatIntelligenceAtpContent'],
  [50, 'ExchangeItemAggregated'],
  [52, 'DataInsightsRestApiAudit'],
  [54, 'SharePointListItemOperation'],
  [57, 'MicrosoftTeamsAdmin'],
  [63, 'DLPEndpoint'],
  [64, 'AirInvestigation'],
  [65, 'Quarantine'],
  [66, 'MicrosoftForms'],
  [78, 'WDATPAlerts'],
  [83, 'SensitivityLabelAction'],
  [98, 'MCASAlerts'],
  [106, 'SecurityComplianceUserChange'],
]);

const BY_NAME = new Map([...RECORD_TYPES].map(([number, name]) => [name.toLowerCase(), number]));

/** UserType values; Sentinel writes the names instead of the numbers. */
export const USER_TYPES: readonly string[] = [
  'Regular',
  'Reserved',
  'Admin',
  'DcAdmin',
  'System',
  'Application',
  'ServicePrincipal',
  'CustomPolicy',
  'SystemPolicy',
  'PartnerTechnician',
  'Guest',
];

/** RecordType as a number, from a number, a numeric string or a Sentinel name; null if unknown. */
export function recordTypeNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  return BY_NAME.get(trimmed.toLowerCase()) ?? null;
}

export function userTypeNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const index = USER_TYPES.findIndex((name) => name.toLowerCase() === value.trim().toLowerCase());
  return index < 0 ? null : index;
}

const DLP_TYPES = new Set([11, 13, 33, 63]);
const AAD_TYPES = new Set([8, 9, 15]);
const EXCHANGE_TYPES = new Set([1, 2, 3, 19, 50]);
const SHAREPOINT_TYPES = new Set([4, 6, 7, 14, 36, 54]);
const SHAREPOINT_WORKLOADS = new Set(['sharepoint', 'onedrive']);

/** The Management Activity content type a record is listed under, from its RecordType and Workload. */
export function contentTypeOf(recordType: number | null, workload: string | null, operation: string): string {
  const load = workload?.toLowerCase() ?? '';
  if ((recordType !== null && DLP_TYPES.has(recordType)) || operation.startsWith('Dlp')) return 'DLP.All';
  if ((recordType !== null && AAD_TYPES.has(recordType)) || load === 'azureactivedirectory') {
    return 'Audit.AzureActiveDirectory';
  }
  if ((recordType !== null && EXCHANGE_TYPES.has(recordType)) || load === 'exchange') return 'Audit.Exchange';
  // Without a type or workload (Sentinel projections), a Verb-Noun operation is an Exchange cmdlet.
  if (recordType === null && load === '' && /^[A-Z][a-z]+-[A-Za-z]+$/.test(operation)) return 'Audit.Exchange';
  if ((recordType !== null && SHAREPOINT_TYPES.has(recordType)) || SHAREPOINT_WORKLOADS.has(load)) {
    return 'Audit.SharePoint';
  }
  return 'Audit.General';
}
