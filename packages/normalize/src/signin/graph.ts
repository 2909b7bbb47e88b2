import { InvalidRecordError } from '@nightjar/core';
import type { SignIn } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from '../context.ts';
import { bool, first, get, num, obj, shown, strings, text, type Rec } from '../fields.ts';
import { lookupGeo } from '../geo.ts';
import { cleanIp } from '../ip.ts';
import { requiredTime } from '../time.ts';
import { isLegacyAuth } from './legacy-auth.ts';
import { signInStatus } from './status.ts';

const NON_INTERACTIVE_CATEGORIES = new Set([
  'noninteractiveusersigninlogs',
  'aadnoninteractiveusersigninlogs',
  'serviceprincipalsigninlogs',
  'aadserviceprincipalsigninlogs',
  'managedidentitysigninlogs',
  'aadmanagedidentitysigninlogs',
]);

function interactive(body: Rec, envelope: Rec): boolean {
  const flag = bool(get(body, 'isInteractive'));
  if (flag !== null) return flag;
  const category = text(first(envelope, 'category', 'Type'))?.toLowerCase();
  if (category !== undefined && NON_INTERACTIVE_CATEGORIES.has(category)) return false;
  const types = strings(get(body, 'signInEventTypes'));
  return types.length === 0 || types.includes('interactiveUser');
}

function identity(body: Rec): { uid: string; name: string; display: string | null } {
  const userId = text(first(body, 'userId'));
  const upn = text(first(body, 'userPrincipalName', 'alternateSignInName', 'signInIdentifier'));
  if (userId !== null || upn !== null) {
    const name = (upn ?? userId ?? '').toLowerCase();
    return { uid: userId ?? name, name, display: text(first(body, 'userDisplayName')) };
  }
  // Service-principal and managed-identity sign-ins have no user: the principal is the identity.
  const spId = text(first(body, 'servicePrincipalId'));
  const spName = text(first(body, 'servicePrincipalName'));
  if (spId === null && spName === null)
    throw new InvalidRecordError('sign-in record has no userId or userPrincipalName');
  const name = (spName ?? spId ?? '').toLowerCase();
  return { uid: spId ?? name, name, display: spName };
}

function statusCode(body: Rec, envelope: Rec): { code: number; detail: string | null } {
  const status = obj(get(body, 'status'));
  const raw = status === null ? first(body, 'ResultType', 'resultType') : get(status, 'errorCode');
  const fallback = raw ?? first(envelope, 'resultType', 'ResultType');
  const code = num(fallback);
  if (code === null) {
    throw new InvalidRecordError(
      fallback === undefined
        ? 'sign-in record has no status.errorCode'
        : `status.errorCode '${shown(fallback)}' is not a number`,
    );
  }
  const detail =
    (status === null ? null : text(first(status, 'failureReason', 'additionalDetails'))) ??
    text(first(body, 'ResultDescription', 'resultDescription')) ??
    text(first(envelope, 'resultDescription'));
  return { code, detail };
}

interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
}

function place(body: Rec, envelope: Rec, ip: string | null): Place {
  const location = obj(first(body, 'location', 'LocationDetails'));
  const coordinates = location === null ? null : obj(get(location, 'geoCoordinates'));
  const envelopeCountry = text(get(envelope, 'location'));
  const country =
    (location === null ? null : text(get(location, 'countryOrRegion'))) ??
    (envelopeCountry !== null && /^[A-Za-z]{2}$/.test(envelopeCountry) ? envelopeCountry.toUpperCase() : null);
  const own: Place = {
    country,
    region: location === null ? null : text(get(location, 'state')),
    city: location === null ? null : text(get(location, 'city')),
    lat: coordinates === null ? null : num(get(coordinates, 'latitude')),
    lon: coordinates === null ? null : num(get(coordinates, 'longitude')),
  };
  if (own.country !== null) return own;
  return lookupGeo(ip) ?? own;
}

/** A Graph v1.0/beta signIn, the `properties` of a diagnostic record, or a Sentinel SigninLogs row. */
export function fromGraphSignIn(record: unknown, body: Rec, envelope: Rec, context: NormalizeContext): SignIn {
  const id = text(first(body, 'id', 'Id', 'originalRequestId')) ?? text(first(envelope, 'id'));
  if (id === null) throw new InvalidRecordError('sign-in record has no id');
  const timeValue = first(body, 'createdDateTime') ?? first(envelope, 'time', 'TimeGenerated');
  const time = requiredTime(timeValue, 'createdDateTime');
  const tenantId = tenantOf(
    context,
    'sign-in',
    first(body, 'tenantId', 'resourceTenantId', 'AADTenantId'),
    first(envelope, 'tenantId', 'TenantId'),
  );
  const user = identity(body);
  const { code, detail } = statusCode(body, envelope);
  const ip = cleanIp(first(body, 'ipAddress') ?? first(envelope, 'callerIpAddress'));
  const where = place(body, envelope, ip);
  const device = obj(get(body, 'deviceDetail')) ?? {};
  const clientApp = text(first(body, 'clientAppUsed'));
  const userAgent = text(first(body, 'userAgent'));
  const risks = strings(get(body, 'riskEventTypes_v2'));
  return {
    ...base(context, tenantId, id, time),
    user_uid: user.uid,
    user_name: user.name,
    user_display_name: user.display,
    is_interactive: interactive(body, envelope),
    status: signInStatus(code),
    status_code: code,
    status_detail: detail,
    app_uid: text(first(body, 'appId')),
    app_name: text(first(body, 'appDisplayName')),
    resource_uid: text(first(body, 'resourceId')),
    resource_name: text(first(body, 'resourceDisplayName')),
    src_ip: ip,
    src_country: where.country,
    src_region: where.region,
    src_city: where.city,
    src_lat: where.lat,
    src_lon: where.lon,
    client_app: clientApp,
    is_legacy_auth: isLegacyAuth(clientApp, userAgent),
    user_agent: userAgent,
    device_uid: text(get(device, 'deviceId')),
    device_name: text(get(device, 'displayName')),
    device_os: text(get(device, 'operatingSystem')),
    device_browser: text(get(device, 'browser')),
    device_is_compliant: bool(get(device, 'isCompliant')),
    device_is_managed: bool(get(device, 'isManaged')),
    device_trust_type: text(get(device, 'trustType')),
    risk_level_during: text(first(body, 'riskLevelDuringSignIn')),
    risk_level_aggregated: text(first(body, 'riskLevelAggregated')),
    risk_state: text(first(body, 'riskState')),
    risk_detail: text(first(body, 'riskDetail')),
    risk_event_types: risks.length > 0 ? risks : strings(get(body, 'riskEventTypes')),
    conditional_access_status: text(first(body, 'conditionalAccessStatus')),
    correlation_id: text(first(body, 'correlationId')) ?? text(first(envelope, 'correlationId')),
    session_id: text(first(body, 'sessionId')),
    raw: JSON.stringify(record),
  };
}
