/**
 * The seam between the simulated world (who the tenants are and what they do)
 * and the HTTP faces that serve it the way Microsoft does. Records are held in
 * Microsoft's own JSON shapes (see ../shared m365-api contract), so the HTTP
 * layer only filters, selects, pages and throttles.
 */

/** A JSON object exactly as Graph, the Management API or Partner Center returns it. */
export type MicrosoftRecord = Readonly<Record<string, unknown>>;

/** Office 365 E3/E5 (ENTERPRISE*) carry no Entra P1 or Intune; Microsoft 365 E3/E5 (SPE_*) do, and E5 adds P2. */
export type SkuName =
  | 'O365_BUSINESS_ESSENTIALS'
  | 'O365_BUSINESS_PREMIUM'
  | 'SPB'
  | 'ENTERPRISEPACK'
  | 'ENTERPRISEPREMIUM'
  | 'SPE_E3'
  | 'SPE_E5';

export interface TenantCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Epoch ms after which the secret is refused with AADSTS7000222. */
  readonly secretExpiresAt: number;
}

export interface TenantFeatures {
  /** Entra ID P1 or better: sign-in logs are readable. */
  readonly entraP1: boolean;
  readonly intune: boolean;
  /** Unified audit logging turned on for the tenant. */
  readonly auditEnabled: boolean;
  /** Admin consent given to the app registration. */
  readonly consented: boolean;
  /**
   * The MSP is only an advisor (no CSP reseller relationship): Partner Center lists the customer
   * but refuses its subscriptions with 403 code 20002 (m365-api.md §10.3).
   */
  readonly advisorOnly?: boolean;
}

export interface SimTenant {
  readonly id: string;
  readonly domain: string;
  readonly displayName: string;
  readonly credentials: TenantCredentials;
  readonly licences: readonly SkuName[];
  readonly features: TenantFeatures;
  /** ISO country codes where the customer has staff. */
  readonly countries: readonly string[];
  /** CIDRs of the customer's own VPN/office egress, which an engine may be told to trust. */
  readonly trustedCidrs?: readonly string[];
}

export type ManagementContentType =
  'Audit.AzureActiveDirectory' | 'Audit.Exchange' | 'Audit.SharePoint' | 'Audit.General' | 'DLP.All';

export interface TimedAuditRecord {
  /** When Microsoft makes the record available in a content blob (creation + latency). */
  readonly availableAt: number;
  readonly record: MicrosoftRecord;
}

export interface GroundTruthLabel {
  readonly scenarioId: string;
  readonly scenario: string;
  /** The detection a good engine raises for it; absent for near misses. */
  readonly expectedDetection: string | null;
  readonly nearMiss: boolean;
  readonly tenantId: string;
  readonly entity: {
    readonly kind: 'user' | 'ip' | 'device' | 'subscription' | 'mailbox' | 'app';
    readonly id: string;
  };
  /** Ids of the records (sign-in id, audit Id, device id…) that make up the scenario. */
  readonly eventIds: readonly string[];
  readonly at: number;
  /** For a near miss: the detection it resembles and must not raise. */
  readonly mimics?: string;
}

export type SignInKind = 'interactive' | 'nonInteractive';

/**
 * Read side of the world, always as of the simulated `now()`: nothing dated
 * after it is visible. Collections are sorted newest first, as Graph serves them.
 */
export interface SimulatedCloud {
  now(): number;
  tenants(): readonly SimTenant[];
  tenant(id: string): SimTenant | undefined;
  signIns(tenantId: string, kind: SignInKind): readonly MicrosoftRecord[];
  directoryAudits(tenantId: string): readonly MicrosoftRecord[];
  users(tenantId: string): readonly MicrosoftRecord[];
  subscribedSkus(tenantId: string): readonly MicrosoftRecord[];
  managedDevices(tenantId: string): readonly MicrosoftRecord[];
  /** Oldest first by availableAt. */
  auditRecords(tenantId: string, contentType: ManagementContentType): readonly TimedAuditRecord[];
  partnerCustomers(): readonly MicrosoftRecord[];
  partnerSubscriptions(customerTenantId: string): readonly MicrosoftRecord[];
  labels(): readonly GroundTruthLabel[];
}

export interface ScenarioRequest {
  /** A scenario name from `scenarioNames()`, e.g. 'password-spray' or 'near-miss/office-nat-typos'. */
  readonly scenario: string;
  /** Defaults to a tenant chosen by the seed. */
  readonly tenantId?: string;
  /** Event time of the attack's first record; defaults to now(). */
  readonly at?: number;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The world plus what the simulator's admin API may change. */
export interface World extends SimulatedCloud {
  /** Generates ordinary activity up to `at` (never goes backwards). */
  advanceTo(at: number): void;
  inject(request: ScenarioRequest): readonly GroundTruthLabel[];
  scenarioNames(): readonly string[];
  /** Flips a tenant's licence or consent state, e.g. to test the licence error paths. */
  setFeatures(tenantId: string, features: Partial<TenantFeatures>): void;
}
