/**
 * Per-MSP and per-tenant detection configuration. The engine asks the
 * provider on every event, so an update applies to the next event without a
 * restart. Implementations keep what they serve in memory (refreshing it in
 * the background if it comes from a database): `forTenant` is on the hot path
 * and must not do I/O.
 */
import { cidrSet } from './net/ip.ts';
import type { CidrSet } from './net/ip.ts';

/** Silences findings that match every field given, until `until` (epoch ms, event time). */
export interface Suppression {
  readonly rule?: string;
  readonly user?: string;
  readonly ip?: string;
  readonly until: number;
  readonly reason?: string;
}

export interface TenantConfig {
  /** ISO alpha-2 countries where the tenant operates; absent: learned from its successful sign-ins. */
  readonly presenceCountries?: readonly string[];
  readonly trustedCidrs?: readonly string[];
  /** Per rule id: parameter overrides, merged over the MSP's. */
  readonly ruleParams?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly suppressions?: readonly Suppression[];
}

export interface MspConfig {
  readonly highRiskCountries?: readonly string[];
  /** The MSP's own egress and ranges trusted for every tenant. */
  readonly trustedCidrs?: readonly string[];
  /** Known VPN, relay and hosting egress: neither a location nor a baseline for geo rules. */
  readonly anonymizerCidrs?: readonly string[];
  readonly ruleParams?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly suppressions?: readonly Suppression[];
  readonly tenants?: Readonly<Record<string, TenantConfig>>;
}

export interface SettingsDocument {
  readonly msps?: Readonly<Record<string, MspConfig>>;
}

/** The resolved view rules and the engine read for one tenant. */
export interface TenantSettings {
  readonly mspId: string;
  readonly tenantId: string;
  /** Configured countries of presence; null when the tenant relies on learning. */
  readonly presenceCountries: readonly string[] | null;
  readonly highRiskCountries: ReadonlySet<string>;
  readonly trusted: CidrSet;
  readonly anonymizers: CidrSet;
  /** Overrides for one rule (MSP, then tenant), not yet validated: the engine parses them with the rule's schema. */
  ruleOverrides(ruleId: string): Readonly<Record<string, unknown>>;
  readonly suppressions: readonly Suppression[];
}

export interface DetectionSettings {
  forTenant(mspId: string, tenantId: string): TenantSettings;
}

export interface MemorySettings extends DetectionSettings {
  /** Replaces the whole document; malformed CIDR ranges throw here, before anything changes. */
  replace(document: SettingsDocument): void;
  updateMsp(mspId: string, change: (current: MspConfig) => MspConfig): void;
  updateTenant(mspId: string, tenantId: string, change: (current: TenantConfig) => TenantConfig): void;
  snapshot(): SettingsDocument;
}

export function createMemorySettings(initial: SettingsDocument = {}): MemorySettings {
  let document: SettingsDocument = {};
  let compiled = new Map<string, TenantSettings>();

  function replace(next: SettingsDocument): void {
    for (const [mspId, msp] of Object.entries(next.msps ?? {})) {
      for (const tenantId of ['', ...Object.keys(msp.tenants ?? {})]) compile(next, mspId, tenantId);
    }
    document = next;
    compiled = new Map();
  }

  function updateMsp(mspId: string, change: (current: MspConfig) => MspConfig): void {
    const msps = document.msps ?? {};
    replace({ ...document, msps: { ...msps, [mspId]: change(msps[mspId] ?? {}) } });
  }

  replace(initial);
  return {
    forTenant(mspId, tenantId) {
      const cacheKey = `${mspId}\u0000${tenantId}`;
      let settings = compiled.get(cacheKey);
      if (!settings) compiled.set(cacheKey, (settings = compile(document, mspId, tenantId)));
      return settings;
    },
    replace,
    updateMsp,
    updateTenant(mspId, tenantId, change) {
      updateMsp(mspId, (msp) => ({
        ...msp,
        tenants: { ...msp.tenants, [tenantId]: change(msp.tenants?.[tenantId] ?? {}) },
      }));
    },
    snapshot: () => document,
  };
}

function compile(document: SettingsDocument, mspId: string, tenantId: string): TenantSettings {
  const msp = document.msps?.[mspId] ?? {};
  const tenant = msp.tenants?.[tenantId] ?? {};
  return {
    mspId,
    tenantId,
    presenceCountries: tenant.presenceCountries?.map((country) => country.toUpperCase()) ?? null,
    highRiskCountries: new Set((msp.highRiskCountries ?? []).map((country) => country.toUpperCase())),
    trusted: cidrSet([...(msp.trustedCidrs ?? []), ...(tenant.trustedCidrs ?? [])]),
    anonymizers: cidrSet(msp.anonymizerCidrs ?? []),
    ruleOverrides: (ruleId) => ({ ...msp.ruleParams?.[ruleId], ...tenant.ruleParams?.[ruleId] }),
    suppressions: [...(msp.suppressions ?? []), ...(tenant.suppressions ?? [])],
  };
}

/** The suppression silencing a finding of `ruleId` about these users and IPs at event time `at`, if any. */
export function matchingSuppression(
  suppressions: readonly Suppression[],
  ruleId: string,
  at: number,
  users: readonly string[],
  ips: readonly string[],
): Suppression | undefined {
  return suppressions.find(
    (suppression) =>
      suppression.until > at &&
      (suppression.rule === undefined || suppression.rule === ruleId) &&
      (suppression.user === undefined || users.includes(suppression.user.toLowerCase())) &&
      (suppression.ip === undefined || ips.includes(suppression.ip)),
  );
}
