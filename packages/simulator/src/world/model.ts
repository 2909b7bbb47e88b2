/** The world's own compact state, from which Microsoft-shaped records are built. */
import type { City } from './cities.ts';
import type { SimTenant, SkuName, TenantFeatures } from './cloud.ts';
import type { Store } from './store.ts';

export type DeviceOs = 'Windows' | 'macOS' | 'iOS' | 'Android';
export type ComplianceState = 'compliant' | 'noncompliant' | 'inGracePeriod' | 'unknown';

export interface DeviceState {
  readonly from: number;
  readonly complianceState: ComplianceState;
  readonly osVersion: string;
  /** When set, the device stopped syncing at this time. */
  readonly lastSyncFrozenAt?: number;
}

export interface DeviceModel {
  readonly id: string;
  readonly azureADDeviceId: string;
  readonly os: DeviceOs;
  readonly deviceName: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly enrolledAt: number;
  /** Offset inside the 8-hour sync cycle, so devices do not all sync at once. */
  readonly syncPhaseMs: number;
  readonly ownerType: 'company' | 'personal';
  /** Oldest first; the state in force at t is the last with from <= t. */
  readonly states: DeviceState[];
  /** Graph's deviceDetail for this device, shared by its sign-ins. */
  readonly signInDetail: Readonly<Record<string, unknown>>;
  readonly userAgent: string;
}

export interface Trip {
  readonly fromDay: number;
  readonly toDay: number;
  readonly city: City;
}

export interface UserModel {
  readonly index: number;
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  /** PUID, the Management API's UserKey for Exchange/SharePoint users. */
  readonly puid: string;
  readonly home: City;
  readonly workStartHour: number;
  readonly workEndHour: number;
  readonly isAdmin: boolean;
  /** Leavers keep their account, disabled, and sign in no more. */
  readonly accountEnabled: boolean;
  readonly usesVpn: boolean;
  readonly worksInOffice: boolean;
  readonly trips: readonly Trip[];
  readonly licence: SkuName;
  readonly createdAt: number;
  readonly devices: readonly DeviceModel[];
  readonly jobTitle: string;
  readonly department: string;
}

export type SubscriptionStatus = 'active' | 'suspended' | 'deleted' | 'pending';

export interface SubscriptionState {
  readonly from: number;
  readonly status: SubscriptionStatus;
  readonly commitmentEndDate: number;
  readonly autoRenewEnabled: boolean;
  readonly suspensionReasons: readonly string[];
}

export interface SubscriptionModel {
  readonly id: string;
  readonly sku: SkuName;
  readonly quantity: number;
  readonly createdAt: number;
  readonly billingCycle: 'monthly' | 'annual';
  readonly termDuration: 'P1M' | 'P1Y';
  readonly orderId: string;
  readonly states: SubscriptionState[];
}

export interface TenantModel {
  readonly index: number;
  tenant: SimTenant;
  features: TenantFeatures;
  readonly hq: City;
  readonly offices: readonly City[];
  /** The office's NAT egress: every in-office user shares it. */
  readonly officeIp: string;
  /** The corporate VPN's egress block (first three octets), listed in trustedCidrs. */
  readonly vpnPrefix: string;
  readonly vpnCity: City;
  readonly users: UserModel[];
  readonly subscriptions: SubscriptionModel[];
  readonly store: Store;
  readonly hasP2: boolean;
  readonly createdAt: number;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function stateAt<T extends { readonly from: number }>(states: readonly T[], at: number): T | undefined {
  let found: T | undefined;
  for (const state of states) {
    if (state.from <= at) found = state;
    else break;
  }
  return found;
}

/** Inserts keeping `from` order, so a later scenario can rewrite a device's or subscription's history. */
export function addState<T extends { readonly from: number }>(states: T[], state: T): void {
  let i = states.length;
  while (i > 0 && (states[i - 1]?.from ?? 0) > state.from) i--;
  states.splice(i, 0, state);
}
