import { InvalidRecordError } from '@nightjar/core';
import type { SignIn } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from '../context.ts';
import { bool, first, get, isRecord, list, nameValues, num, shown, text, type Rec } from '../fields.ts';
import { lookupGeo } from '../geo.ts';
import { cleanIp } from '../ip.ts';
import { requiredTime } from '../time.ts';
import { isLegacyAuth } from './legacy-auth.ts';
import { signInStatus, type SignInStatus } from './status.ts';

export const LOGON_OPERATIONS: ReadonlySet<string> = new Set(['UserLoggedIn', 'UserLoginFailed']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor's object id: the first `Actor` entry of IdentityType 0 that is a GUID, else UserKey. */
function objectId(record: Rec, userName: string): string {
  for (const actor of list(get(record, 'Actor'))) {
    if (!isRecord(actor)) continue;
    const id = text(get(actor, 'ID'));
    if (id !== null && num(get(actor, 'Type')) === 0 && GUID.test(id)) return id;
  }
  return text(first(record, 'UserKey')) ?? userName;
}

/**
 * Token requests (`OAuth2:Token`) are refreshes and app calls without the user present; the other
 * request types (Login:login, OAuth2:Authorize, SAS:*, Kmsi:kmsi, …) are steps of an interactive
 * sign-in. The Management API carries no explicit flag.
 */
function interactive(requestType: string | undefined): boolean {
  return requestType === undefined || !requestType.toLowerCase().startsWith('oauth2:token');
}

function outcome(operation: string, code: number): SignInStatus {
  if (code !== 0) return signInStatus(code);
  return operation === 'UserLoginFailed' ? 'failure' : 'success';
}

/** A Management Activity STS logon record (RecordType 15, UserLoggedIn / UserLoginFailed). */
export function fromManagementLogon(record: unknown, rec: Rec, context: NormalizeContext): SignIn {
  const id = text(first(rec, 'Id'));
  if (id === null) throw new InvalidRecordError('sign-in record has no Id');
  const operation = text(get(rec, 'Operation')) ?? '';
  if (!LOGON_OPERATIONS.has(operation)) {
    throw new InvalidRecordError(
      `Management record operation '${operation}' is not a sign-in (UserLoggedIn/UserLoginFailed)`,
    );
  }
  const time = requiredTime(first(rec, 'CreationTime', 'TimeGenerated'), 'CreationTime');
  const tenantId = tenantOf(context, 'sign-in', first(rec, 'OrganizationId', 'TenantId'));
  const userName = text(first(rec, 'UserId'))?.toLowerCase();
  if (userName === undefined) throw new InvalidRecordError('sign-in record has no UserId');
  const codeValue = first(rec, 'ErrorNumber', 'ErrorCode');
  const code = codeValue === undefined ? 0 : num(codeValue);
  if (code === null) throw new InvalidRecordError(`ErrorNumber '${shown(codeValue)}' is not a number`);
  const extended = nameValues(get(rec, 'ExtendedProperties'));
  const device = nameValues(get(rec, 'DeviceProperties'));
  const userAgent = extended.get('UserAgent') ?? null;
  const ip = cleanIp(first(rec, 'ClientIP', 'ActorIpAddress'));
  const geo = lookupGeo(ip);
  const compliantAndManaged = bool(device.get('IsCompliantAndManaged'));
  return {
    ...base(context, tenantId, id, time),
    user_uid: objectId(rec, userName),
    user_name: userName,
    user_display_name: null,
    is_interactive: interactive(extended.get('RequestType')),
    status: outcome(operation, code),
    status_code: code,
    status_detail: text(first(rec, 'LogonError')),
    app_uid: text(first(rec, 'ApplicationId')),
    app_name: null,
    resource_uid: text(first(rec, 'ObjectId')),
    resource_name: null,
    src_ip: ip,
    src_country: geo?.country ?? null,
    src_region: geo?.region ?? null,
    src_city: geo?.city ?? null,
    src_lat: geo?.lat ?? null,
    src_lon: geo?.lon ?? null,
    client_app: null,
    is_legacy_auth: isLegacyAuth(null, userAgent),
    user_agent: userAgent,
    device_uid: device.get('Id') ?? null,
    device_name: device.get('DisplayName') ?? null,
    device_os: device.get('OS') ?? null,
    device_browser: device.get('BrowserType') ?? null,
    device_is_compliant: bool(device.get('IsCompliant')) ?? (compliantAndManaged === true ? true : null),
    device_is_managed: bool(device.get('IsManaged')) ?? (compliantAndManaged === true ? true : null),
    device_trust_type: device.get('TrustType') ?? device.get('DeviceTrustType') ?? null,
    risk_level_during: null,
    risk_level_aggregated: null,
    risk_state: null,
    risk_detail: null,
    risk_event_types: [],
    conditional_access_status: null,
    correlation_id: text(first(rec, 'InterSystemsId')),
    session_id: device.get('SessionId') ?? null,
    raw: JSON.stringify(record),
  };
}
