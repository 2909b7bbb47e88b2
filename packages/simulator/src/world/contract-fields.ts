/**
 * The field lists of ../shared/m365-api.md (§2.2, §4, §5, §6.1, §9, §10) as
 * data, and a checker that names every missing or mistyped field. Used by the
 * tests; also useful to anyone validating replayed files.
 */
export type FieldKind =
  | 'guid'
  | 'string'
  | 'string?'
  | 'int'
  | 'number'
  | 'boolean'
  | 'boolean?'
  | 'array'
  | 'object'
  | 'object?'
  | 'isoZ'
  | 'creationTime'
  | readonly string[]
  | FieldSpec;

export interface FieldSpec {
  readonly [field: string]: FieldKind;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z$/;
const CREATION_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

export const SIGN_IN: FieldSpec = {
  id: 'guid',
  createdDateTime: 'isoZ',
  userDisplayName: 'string',
  userPrincipalName: 'string',
  userId: 'guid',
  appId: 'guid',
  appDisplayName: 'string',
  ipAddress: 'string',
  clientAppUsed: 'string',
  correlationId: 'guid',
  conditionalAccessStatus: ['success', 'failure', 'notApplied', 'unknownFutureValue'],
  appliedConditionalAccessPolicies: 'array',
  isInteractive: 'boolean',
  resourceDisplayName: 'string',
  resourceId: 'guid',
  riskDetail: 'string',
  riskEventTypes: 'array',
  riskEventTypes_v2: 'array',
  riskLevelAggregated: ['none', 'low', 'medium', 'high', 'hidden', 'unknownFutureValue'],
  riskLevelDuringSignIn: ['none', 'low', 'medium', 'high', 'hidden', 'unknownFutureValue'],
  riskState: [
    'none',
    'confirmedSafe',
    'remediated',
    'dismissed',
    'atRisk',
    'confirmedCompromised',
    'unknownFutureValue',
  ],
  status: { errorCode: 'int', failureReason: 'string?', additionalDetails: 'string?' },
  deviceDetail: {
    deviceId: 'string',
    displayName: 'string?',
    operatingSystem: 'string',
    browser: 'string',
    isCompliant: 'boolean?',
    isManaged: 'boolean?',
    trustType: 'string?',
  },
  location: {
    city: 'string',
    state: 'string',
    countryOrRegion: 'string',
    geoCoordinates: { latitude: 'number', longitude: 'number' },
  },
};

export const DIRECTORY_AUDIT: FieldSpec = {
  id: 'string',
  category: 'string',
  correlationId: 'guid',
  result: ['success', 'failure', 'timeout', 'unknownFutureValue'],
  resultReason: 'string',
  activityDisplayName: 'string',
  activityDateTime: 'isoZ',
  loggedByService: 'string',
  operationType: 'string',
  initiatedBy: { user: 'object?', app: 'object?' },
  targetResources: 'array',
  additionalDetails: 'array',
};

export const USER: FieldSpec = {
  id: 'guid',
  userPrincipalName: 'string',
  displayName: 'string',
  accountEnabled: 'boolean',
  userType: ['Member', 'Guest'],
  assignedLicenses: 'array',
  createdDateTime: 'isoZ',
};

export const SUBSCRIBED_SKU: FieldSpec = {
  id: 'string',
  accountId: 'guid',
  accountName: 'string',
  appliesTo: ['User', 'Company'],
  capabilityStatus: ['Enabled', 'Warning', 'Suspended', 'Deleted', 'LockedOut'],
  consumedUnits: 'int',
  skuId: 'guid',
  skuPartNumber: 'string',
  subscriptionIds: 'array',
  servicePlans: 'array',
  prepaidUnits: { enabled: 'int', suspended: 'int', warning: 'int', lockedOut: 'int' },
};

export const MANAGED_DEVICE: FieldSpec = {
  id: 'guid',
  userId: 'guid',
  userPrincipalName: 'string',
  userDisplayName: 'string',
  emailAddress: 'string',
  deviceName: 'string',
  managedDeviceName: 'string',
  managedDeviceOwnerType: ['unknown', 'company', 'personal'],
  enrolledDateTime: 'isoZ',
  lastSyncDateTime: 'isoZ',
  operatingSystem: 'string',
  osVersion: 'string',
  complianceState: ['unknown', 'compliant', 'noncompliant', 'conflict', 'error', 'inGracePeriod', 'configManager'],
  complianceGracePeriodExpirationDateTime: 'isoZ',
  jailBroken: ['True', 'False', 'Unknown'],
  isEncrypted: 'boolean',
  isSupervised: 'boolean',
  azureADRegistered: 'boolean',
  easActivated: 'boolean',
  managementAgent: 'string',
  deviceEnrollmentType: 'string',
  deviceRegistrationState: 'string',
  exchangeAccessState: ['none', 'unknown', 'allowed', 'blocked', 'quarantined'],
  exchangeAccessStateReason: 'string',
  azureADDeviceId: 'guid',
  manufacturer: 'string',
  model: 'string',
  serialNumber: 'string',
  imei: 'string',
  meid: 'string',
  wiFiMacAddress: 'string',
  phoneNumber: 'string',
  subscriberCarrier: 'string',
  totalStorageSpaceInBytes: 'int',
  freeStorageSpaceInBytes: 'int',
  partnerReportedThreatState: 'string',
  deviceCategoryDisplayName: 'string',
  androidSecurityPatchLevel: 'string',
  deviceHealthAttestationState: 'object?',
};

export const PARTNER_CUSTOMER: FieldSpec = {
  id: 'guid',
  companyProfile: { tenantId: 'guid', domain: 'string', companyName: 'string', attributes: 'object' },
  relationshipToPartner: ['none', 'reseller', 'advisor', 'syndication', 'microsoft_support'],
  attributes: { objectType: ['Customer'] },
};

export const PARTNER_SUBSCRIPTION: FieldSpec = {
  id: 'guid',
  offerId: 'string',
  entitlementId: 'string',
  offerName: 'string',
  friendlyName: 'string',
  quantity: 'int',
  unitType: 'string',
  parentSubscriptionId: 'string?',
  creationDate: 'isoZ',
  effectiveStartDate: 'isoZ',
  commitmentEndDate: 'isoZ',
  status: ['none', 'active', 'pending', 'suspended', 'deleted'],
  autoRenewEnabled: 'boolean',
  billingType: ['none', 'usage', 'license'],
  billingCycle: ['monthly', 'annual'],
  termDuration: ['P1M', 'P1Y', 'P3Y'],
  renewalTermDuration: 'string',
  hasPurchasableAddons: 'boolean',
  isTrial: 'boolean',
  isMicrosoftProduct: 'boolean',
  publisherName: 'string',
  actions: 'array',
  partnerId: 'string',
  suspensionReasons: 'array',
  contractType: ['subscription', 'productKey', 'redemptionCode'],
  refundOptions: 'array',
  orderId: 'string',
  links: 'object',
  attributes: { etag: 'string', objectType: ['Subscription'] },
};

function problem(kind: FieldKind, value: unknown): boolean {
  if (Array.isArray(kind)) return typeof value !== 'string' || !kind.includes(value);
  if (typeof kind === 'object') return typeof value !== 'object' || value === null;
  switch (kind) {
    case 'guid':
      return typeof value !== 'string' || !GUID.test(value);
    case 'string':
      return typeof value !== 'string';
    case 'string?':
      return value !== null && typeof value !== 'string';
    case 'int':
      return !Number.isInteger(value);
    case 'number':
      return typeof value !== 'number';
    case 'boolean':
      return typeof value !== 'boolean';
    case 'boolean?':
      return value !== null && typeof value !== 'boolean';
    case 'array':
      return !Array.isArray(value);
    case 'object':
      return typeof value !== 'object' || value === null || Array.isArray(value);
    case 'object?':
      return value !== null && (typeof value !== 'object' || Array.isArray(value));
    case 'isoZ':
      return typeof value !== 'string' || !ISO_Z.test(value) || Number.isNaN(Date.parse(value));
    case 'creationTime':
      return typeof value !== 'string' || !CREATION_TIME.test(value);
    default:
      return true;
  }
}

/** Every field of `spec` missing from `record` or of the wrong type, as `path: value`. */
export function contractProblems(record: unknown, spec: FieldSpec, path = ''): string[] {
  if (typeof record !== 'object' || record === null) return [`${path || 'record'} is not an object`];
  const found: string[] = [];
  for (const [field, kind] of Object.entries(spec)) {
    const value = (record as Record<string, unknown>)[field];
    const where = path ? `${path}.${field}` : field;
    if (!(field in record)) found.push(`${where} missing`);
    else if (problem(kind, value)) found.push(`${where}: ${JSON.stringify(value)}`);
    else if (typeof kind === 'object' && !Array.isArray(kind))
      found.push(...contractProblems(value, kind as FieldSpec, where));
  }
  return found;
}
