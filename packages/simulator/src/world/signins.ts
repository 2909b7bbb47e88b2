/** Graph `signIn` records (m365-api.md §2.2) and their Management API mirror (§9.2, RecordType 15). */
import type { App } from './catalog.ts';
import { APPS, FAILURE_REASONS, LOGON_ERRORS } from './catalog.ts';
import type { City } from './cities.ts';
import type { MicrosoftRecord, SignInKind } from './cloud.ts';
import type { DeviceModel, TenantModel, UserModel } from './model.ts';
import type { Random } from './random.ts';
import { auditLatency, managementBase } from './audits.ts';
import { isoTicks } from './time.ts';

export interface RiskSpec {
  readonly level: 'low' | 'medium' | 'high';
  readonly state: 'atRisk' | 'confirmedCompromised' | 'remediated' | 'dismissed';
  readonly eventTypes: readonly string[];
}

export interface SignInSpec {
  readonly at: number;
  readonly user: UserModel;
  readonly city: City;
  readonly ip: string;
  readonly asn: number;
  readonly client: App;
  readonly resource: App;
  readonly interactive: boolean;
  readonly clientAppUsed?: string;
  readonly errorCode?: number;
  readonly additionalDetails?: string | null;
  readonly device?: DeviceModel | null;
  readonly correlationId?: string;
  readonly sessionId?: string;
  readonly userAgent?: string;
  readonly risk?: RiskSpec;
}

/** Fields Graph only returns on /beta; the HTTP face may drop them for /v1.0. */
export const BETA_ONLY_SIGNIN_FIELDS = [
  'signInEventTypes',
  'userAgent',
  'sessionId',
  'autonomousSystemNumber',
  'userType',
  'authenticationRequirement',
] as const;

const EMPTY: readonly never[] = Object.freeze([]);
const locationCache = new Map<City, Readonly<Record<string, unknown>>>();
const statusCache = new Map<string, Readonly<Record<string, unknown>>>();
const UNMANAGED_DEVICE = Object.freeze({
  deviceId: '',
  displayName: null,
  operatingSystem: 'Windows10',
  browser: 'Rich Client 4.61.0.0',
  isCompliant: null,
  isManaged: null,
  trustType: null,
});

function location(city: City): Readonly<Record<string, unknown>> {
  let cached = locationCache.get(city);
  if (!cached) {
    cached = Object.freeze({
      city: city.name,
      state: city.state,
      countryOrRegion: city.country,
      geoCoordinates: Object.freeze({ altitude: null, latitude: city.latitude, longitude: city.longitude }),
    });
    locationCache.set(city, cached);
  }
  return cached;
}

function status(errorCode: number, additionalDetails: string | null): Readonly<Record<string, unknown>> {
  const key = `${errorCode}|${additionalDetails ?? ''}`;
  let cached = statusCache.get(key);
  if (!cached) {
    cached = Object.freeze({
      errorCode,
      failureReason: errorCode === 0 ? null : (FAILURE_REASONS[errorCode] ?? 'Other.'),
      additionalDetails,
    });
    statusCache.set(key, cached);
  }
  return cached;
}

const policyCache = new WeakMap<TenantModel, Map<string, readonly unknown[]>>();
const INTERACTIVE_TYPES = Object.freeze(['interactiveUser']);
const NON_INTERACTIVE_TYPES = Object.freeze(['nonInteractiveUser']);

/** Shared per tenant and outcome: thousands of records point at the same few arrays. */
function caPolicies(model: TenantModel, errorCode: number): readonly unknown[] {
  if (!model.features.entraP1) return EMPTY;
  const result = errorCode === 53003 ? 'failure' : errorCode === 0 ? 'success' : 'notApplied';
  let byResult = policyCache.get(model);
  if (!byResult) policyCache.set(model, (byResult = new Map<string, readonly unknown[]>()));
  let policies = byResult.get(result);
  if (!policies) {
    policies = Object.freeze([
      Object.freeze({
        id: model.tenant.id.slice(0, 24) + '0000ca000001',
        displayName: 'Require MFA for all users',
        enforcedGrantControls: Object.freeze(['Mfa']),
        enforcedSessionControls: EMPTY,
        result,
      }),
    ]);
    byResult.set(result, policies);
  }
  return policies;
}

/** Builds the Graph record, stores it, and mirrors interactive ones into Audit.AzureActiveDirectory. */
export function addSignIn(rng: Random, model: TenantModel, spec: SignInSpec): MicrosoftRecord {
  const id = rng.guid();
  const errorCode = spec.errorCode ?? 0;
  const additionalDetails =
    spec.additionalDetails ??
    (errorCode === 0 && spec.interactive ? 'MFA requirement satisfied by claim in the token' : null);
  const hidden = !model.hasP2;
  const device = spec.device === undefined ? (spec.user.devices[0] ?? null) : spec.device;
  const userAgent = spec.userAgent ?? device?.userAgent ?? 'Mozilla/5.0 (compatible; MSAL 1.0)';
  const riskLevel = hidden ? 'hidden' : (spec.risk?.level ?? 'none');
  const record: MicrosoftRecord = {
    id,
    createdDateTime: isoTicks(spec.at, rng.int(10000)),
    userDisplayName: spec.user.displayName,
    userPrincipalName: spec.user.userPrincipalName,
    userId: spec.user.id,
    appId: spec.client.appId,
    appDisplayName: spec.client.appDisplayName,
    ipAddress: spec.ip,
    clientAppUsed:
      spec.clientAppUsed ??
      (device?.os === 'iOS' || device?.os === 'Android' ? 'Mobile Apps and Desktop clients' : 'Browser'),
    correlationId: spec.correlationId ?? rng.guid(),
    conditionalAccessStatus: model.features.entraP1
      ? errorCode === 53003
        ? 'failure'
        : errorCode === 0
          ? 'success'
          : 'notApplied'
      : 'notApplied',
    isInteractive: spec.interactive,
    riskDetail: hidden ? 'hidden' : 'none',
    riskLevelAggregated: riskLevel,
    riskLevelDuringSignIn: riskLevel,
    riskState: hidden ? 'none' : (spec.risk?.state ?? 'none'),
    riskEventTypes: hidden ? EMPTY : (spec.risk?.eventTypes ?? EMPTY),
    riskEventTypes_v2: hidden ? EMPTY : (spec.risk?.eventTypes ?? EMPTY),
    resourceDisplayName: spec.resource.appDisplayName,
    resourceId: spec.resource.appId,
    status: status(errorCode, additionalDetails),
    deviceDetail: device?.signInDetail ?? UNMANAGED_DEVICE,
    location: location(spec.city),
    appliedConditionalAccessPolicies: caPolicies(model, errorCode),
    signInEventTypes: spec.interactive ? INTERACTIVE_TYPES : NON_INTERACTIVE_TYPES,
    userAgent,
    sessionId: spec.sessionId ?? spec.correlationId ?? id,
    autonomousSystemNumber: spec.asn,
    userType: 'member',
    authenticationRequirement:
      spec.interactive && model.features.entraP1 ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
  };
  const kind: SignInKind = spec.interactive ? 'interactive' : 'nonInteractive';
  model.store.addSignIn(kind, spec.at, record);
  if (spec.interactive) addStsLogon(rng, model, spec, record, errorCode, userAgent);
  return record;
}

function addStsLogon(
  rng: Random,
  model: TenantModel,
  spec: SignInSpec,
  record: MicrosoftRecord,
  errorCode: number,
  userAgent: string,
): void {
  const failed = errorCode !== 0;
  const device = spec.device === undefined ? spec.user.devices[0] : spec.device;
  const entry = {
    ...managementBase(rng, model, spec.at, {
      RecordType: 15,
      Operation: failed ? 'UserLoginFailed' : 'UserLoggedIn',
      Workload: 'AzureActiveDirectory',
      ResultStatus: failed ? 'Failed' : 'Success',
      ObjectId: spec.resource.appId,
      UserId: spec.user.userPrincipalName,
      UserKey: spec.user.id,
      ClientIP: spec.ip,
    }),
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'ResultStatusDetail', Value: failed ? 'UserError' : 'Success' },
      { Name: 'UserAgent', Value: userAgent },
      { Name: 'RequestType', Value: 'Login:login' },
    ],
    ModifiedProperties: EMPTY,
    Actor: [
      { ID: spec.user.id, Type: 0 },
      { ID: spec.user.userPrincipalName, Type: 5 },
    ],
    ActorContextId: model.tenant.id,
    ActorIpAddress: spec.ip,
    InterSystemsId: record['correlationId'],
    IntraSystemId: record['id'],
    SupportTicketId: '',
    Target: [{ ID: spec.resource.appId, Type: 0 }],
    TargetContextId: model.tenant.id,
    ApplicationId: spec.client.appId,
    DeviceProperties: [
      { Name: 'OS', Value: device?.os ?? 'Windows' },
      { Name: 'BrowserType', Value: 'Edge' },
      { Name: 'IsCompliantAndManaged', Value: device ? 'True' : 'False' },
      { Name: 'SessionId', Value: record['sessionId'] },
    ],
    ...(failed ? { ErrorCode: String(errorCode), LogonError: LOGON_ERRORS[errorCode] ?? 'Other' } : {}),
  };
  model.store.addAuditRecord('Audit.AzureActiveDirectory', spec.at + auditLatency(rng), entry);
}

export const SIGN_IN_APPS = {
  interactive: [
    [APPS.officeHome, APPS.graph],
    [APPS.office, APPS.exchange],
    [APPS.teams, APPS.teamsService],
    [APPS.officeHome, APPS.sharePoint],
  ] as const,
  nonInteractive: [
    [APPS.teams, APPS.teamsService],
    [APPS.office, APPS.graph],
    [APPS.office, APPS.exchange],
    [APPS.oneDriveSync, APPS.sharePoint],
    [APPS.broker, APPS.graph],
  ] as const,
};
