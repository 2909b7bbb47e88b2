import type { SignIn, UserSnapshot } from '@nightjar/events';

export const MSP = 'msp-contoso';
export const TENANT = 'tenant-fabrikam';
/** 2026-03-02T09:00:00Z: a Monday morning, far from any grouping-bucket edge of an hour. */
export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Places with their real coordinates, so distances in tests are computed, never typed in. */
export const PLACES = {
  capeTown: { src_country: 'ZA', src_city: 'Cape Town', src_lat: -33.92, src_lon: 18.42 },
  stellenbosch: { src_country: 'ZA', src_city: 'Stellenbosch', src_lat: -33.93, src_lon: 18.86 },
  bucharest: { src_country: 'RO', src_city: 'Bucharest', src_lat: 44.43, src_lon: 26.1 },
  london: { src_country: 'GB', src_city: 'London', src_lat: 51.51, src_lon: -0.13 },
  amsterdam: { src_country: 'NL', src_city: 'Amsterdam', src_lat: 52.37, src_lon: 4.9 },
  frankfurt: { src_country: 'DE', src_city: 'Frankfurt am Main', src_lat: 50.11, src_lon: 8.68 },
  moscow: { src_country: 'RU', src_city: 'Moscow', src_lat: 55.76, src_lon: 37.62 },
  lagos: { src_country: 'NG', src_city: 'Lagos', src_lat: 6.52, src_lon: 3.38 },
} as const satisfies Record<string, Pick<SignIn, 'src_country' | 'src_city' | 'src_lat' | 'src_lon'>>;

let sequence = 0;

/** A valid successful interactive sign-in of ana@fabrikam.example from Cape Town; override what the scenario is about. */
export function signIn(overrides: Partial<SignIn> = {}): SignIn {
  sequence += 1;
  const user = overrides.user_name ?? 'ana@fabrikam.example';
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'graph.signIns.interactive',
    event_id: `si-${sequence.toString().padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0 + 30_000,
    user_uid: `uid-${user}`,
    user_name: user,
    user_display_name: null,
    is_interactive: true,
    status: 'success',
    status_code: 0,
    status_detail: null,
    app_uid: '00000002-0000-0ff1-ce00-000000000000',
    app_name: 'Office 365 Exchange Online',
    resource_uid: null,
    resource_name: null,
    src_ip: '198.51.100.10',
    ...PLACES.capeTown,
    src_region: null,
    client_app: 'Browser',
    is_legacy_auth: false,
    user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0',
    device_uid: null,
    device_name: null,
    device_os: 'Windows 10',
    device_browser: 'Chrome 124',
    device_is_compliant: null,
    device_is_managed: null,
    device_trust_type: null,
    risk_level_during: 'none',
    risk_level_aggregated: 'none',
    risk_state: 'none',
    risk_detail: null,
    risk_event_types: [],
    conditional_access_status: 'success',
    correlation_id: `corr-${sequence}`,
    session_id: null,
    raw: '{}',
    ...overrides,
  };
}

/** A password failure (50126) unless overridden. */
export function failedSignIn(overrides: Partial<SignIn> = {}): SignIn {
  return signIn({ status: 'failure', status_code: 50126, status_detail: 'Invalid username or password', ...overrides });
}

/** User n of the tenant, e.g. user(3) → u03@fabrikam.example. */
export function user(n: number, domain = 'fabrikam.example'): string {
  return `u${n.toString().padStart(2, '0')}@${domain}`;
}

export function userSnapshot(overrides: Partial<UserSnapshot> = {}): UserSnapshot {
  sequence += 1;
  const name = overrides.user_name ?? 'ana@fabrikam.example';
  return {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'graph.users',
    event_id: `us-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    time: T0,
    ingest_time: T0,
    user_uid: `uid-${name}`,
    user_name: name,
    user_display_name: null,
    account_enabled: true,
    user_type: 'Member',
    licence_sku_ids: [],
    created_time: null,
    last_sign_in_time: null,
    raw: '{}',
    ...overrides,
  };
}
