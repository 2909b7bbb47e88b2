import { contentId } from '../hash.ts';
import type { Rec } from '../fields.ts';

export type CsvKind = 'signins' | 'office-activity' | 'plain';

/** Which export a CSV header belongs to: Entra admin center sign-ins, Sentinel OfficeActivity, or other. */
export function csvKind(headers: readonly string[], feedHint?: string): CsvKind {
  const set = new Set(headers);
  if (feedHint === 'signins' || (set.has('Request ID') && set.has('Date (UTC)'))) return 'signins';
  if (
    feedHint === 'audit' ||
    (set.has('Operation') && (set.has('OfficeWorkload') || set.has('TimeGenerated') || set.has('UserId')))
  ) {
    return 'office-activity';
  }
  return 'plain';
}

/** Exports flatten nested values into JSON text; read them back so the record matches the API's shape. */
function cellValue(cell: string): unknown {
  const trimmed = cell.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return cell;
    }
  }
  return cell;
}

export function plainRecord(headers: readonly string[], cells: readonly string[]): Rec {
  const record: Rec = {};
  headers.forEach((header, index) => {
    const cell = cells[index] ?? '';
    if (cell !== '') record[header.replace(/ \[UTC\]$/, '')] = cellValue(cell);
  });
  return record;
}

/**
 * A Sentinel OfficeActivity row, in the Management API's vocabulary as far as the normalizer needs.
 * Projections that drop the record id (msticpy's 5-column demo) get a content hash instead, so a
 * replay of the same file yields the same ids.
 */
export function officeActivityRecord(headers: readonly string[], cells: readonly string[]): Rec {
  const record = plainRecord(headers, cells);
  if (record.TimeGenerated === undefined && record.CreationTime === undefined) {
    const start = record.Start_Time ?? record.ElevationTime;
    if (start !== undefined) record.TimeGenerated = start;
  }
  if (record.Id === undefined && record.OfficeId === undefined) {
    record.Id = record.SourceRecordId ?? contentId('csv-row', headers, cells);
  }
  return record;
}

const YES = new Set(['yes', 'true']);
const NO = new Set(['no', 'false']);

function yesNo(value: string | undefined): boolean | null {
  const lower = value?.trim().toLowerCase() ?? '';
  return YES.has(lower) ? true : NO.has(lower) ? false : null;
}

/** "Redmond, Washington, US" → city, state, country. */
function location(value: string | undefined): Rec | null {
  if (value === undefined || value.trim() === '') return null;
  const parts = value.split(',').map((part) => part.trim());
  const country = parts.length > 0 && /^[A-Za-z]{2}$/.test(parts.at(-1) ?? '') ? parts.pop() : undefined;
  return { city: parts[0] ?? null, state: parts[1] ?? null, countryOrRegion: country?.toUpperCase() ?? null };
}

const SIGN_IN_COLUMNS: Readonly<Record<string, string>> = {
  'Date (UTC)': 'createdDateTime',
  'Request ID': 'id',
  'User agent': 'userAgent',
  'Correlation ID': 'correlationId',
  'User ID': 'userId',
  User: 'userDisplayName',
  Username: 'userPrincipalName',
  Application: 'appDisplayName',
  'Application ID': 'appId',
  Resource: 'resourceDisplayName',
  'Resource ID': 'resourceId',
  'Resource tenant ID': 'resourceTenantId',
  'Home tenant ID': 'homeTenantId',
  'IP address': 'ipAddress',
  'Client app': 'clientAppUsed',
  'Conditional Access': 'conditionalAccessStatus',
  'Session ID': 'sessionId',
  'Authentication requirement': 'authenticationRequirement',
  'Cross tenant access type': 'crossTenantAccessType',
  'Incoming token type': 'incomingTokenType',
  'Autonomous system number': 'autonomousSystemNumber',
};

/** An Entra admin center sign-ins CSV row as a Graph-like signIn; unmapped columns are kept by name. */
export function signInCsvRecord(headers: readonly string[], cells: readonly string[], fileName: string): Rec {
  const column = new Map(headers.map((header, index) => [header, cells[index] ?? '']));
  const record: Rec = {};
  for (const [header, value] of column) {
    if (value === '') continue;
    record[SIGN_IN_COLUMNS[header] ?? header] = value;
  }
  const code = column.get('Sign-in error code') ?? '';
  const statusText = column.get('Status')?.toLowerCase();
  record.status = {
    errorCode: code !== '' ? Number(code) : statusText === 'success' ? 0 : code,
    failureReason: column.get('Failure reason') || null,
    additionalDetails: column.get('Additional Details') || null,
  };
  record.deviceDetail = {
    deviceId: column.get('Device ID') ?? '',
    browser: column.get('Browser') || null,
    operatingSystem: column.get('Operating System') || null,
    isCompliant: yesNo(column.get('Compliant')),
    isManaged: yesNo(column.get('Managed')),
    trustType: column.get('Join Type') || null,
  };
  const where = location(column.get('Location'));
  if (where !== null) record.location = where;
  record.isInteractive = !/non.?interactive/i.test(fileName);
  return record;
}
