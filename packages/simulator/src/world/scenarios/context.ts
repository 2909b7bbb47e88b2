/** What a scenario generator gets, and the small helpers every generator shares. */
import { NightjarError } from '@nightjar/core';
import type { City } from '../cities.ts';
import { CITIES, HOSTING, cityNamed, distanceKm, ipIn } from '../cities.ts';
import type { GroundTruthLabel, MicrosoftRecord } from '../cloud.ts';
import type { Egress } from '../activity.ts';
import type { TenantModel, UserModel } from '../model.ts';
import type { Random } from '../random.ts';

export interface LabelInput {
  readonly expectedDetection?: string | null;
  readonly entity: GroundTruthLabel['entity'];
  readonly eventIds: readonly string[];
  readonly model?: TenantModel;
}

export interface ScenarioContext {
  readonly rng: Random;
  readonly model: TenantModel;
  /** Every tenant, for scenarios that cross tenants. */
  readonly models: readonly TenantModel[];
  readonly at: number;
  readonly params: Readonly<Record<string, unknown>>;
  label(input: LabelInput): void;
}

export interface ScenarioDefinition {
  readonly name: string;
  /** The detection a good engine raises; null for near misses. */
  readonly detection: string | null;
  /** For near misses: the detection it resembles. */
  readonly mimics?: string;
  readonly summary: string;
  /** Whether a tenant can host the scenario (licences, audit, users). */
  readonly fits?: (model: TenantModel) => boolean;
  /** Tenants the world needs for the attack to be one (cross-tenant scenarios); 1 by default. */
  readonly minTenants?: number;
  run(context: ScenarioContext): void;
}

export function invalidScenario(message: string): NightjarError {
  return new NightjarError('NJ_SIM_SCENARIO_INVALID', message);
}

export function numberParam(params: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const value = params[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidScenario(`parameter ${key} must be a non-negative number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function stringParam(params: Readonly<Record<string, unknown>>, key: string, fallback: string): string {
  const value = params[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw invalidScenario(`parameter ${key} must be a non-empty string`);
  return value;
}

/** The victim: a named user (by UPN) or a seeded pick among ordinary users. */
export function victim(context: ScenarioContext, key = 'user'): UserModel {
  const upn = context.params[key];
  if (typeof upn === 'string') {
    const user = context.model.users.find((u) => u.userPrincipalName === upn.toLowerCase());
    if (!user) throw invalidScenario(`no user ${upn} in tenant ${context.model.tenant.id}`);
    return user;
  }
  const ordinary = context.model.users.filter((u) => !u.isAdmin && u.accountEnabled);
  return context.rng.pick(ordinary.length > 0 ? ordinary : context.model.users);
}

/**
 * A victim none of whose interactive sign-ins from `from` to `to` is a
 * `conflict`, for near misses about where a user
 * signs in from: their sign-ins must not pair with the user's ordinary day,
 * or another scenario's sign-ins, into a real impossible travel. Falls back
 * to any victim when every user conflicts.
 */
export function quietVictim(
  context: ScenarioContext,
  from: number,
  to: number,
  conflict: (record: MicrosoftRecord, user: UserModel) => boolean,
): UserModel {
  if (typeof context.params['user'] === 'string') return victim(context);
  const users = new Map(context.model.users.map((u) => [u.id, u]));
  const busy = new Set<string>();
  // Newest first: stop at the first sign-in before the span.
  for (const record of context.model.store.signInsAt('interactive', to)) {
    if (Date.parse(String(record['createdDateTime'])) < from) break;
    const user = users.get(String(record['userId']));
    if (user && conflict(record, user)) busy.add(user.id);
  }
  const quiet = context.model.users.filter((u) => !u.isAdmin && u.accountEnabled && !busy.has(u.id));
  return quiet.length > 0 ? context.rng.pick(quiet) : victim(context);
}

/** Whether a sign-in record was made far enough from the user's home to pair into a travel. */
export function farFromHome(record: MicrosoftRecord, user: UserModel, km = 300): boolean {
  const location = record['location'] as { geoCoordinates?: { latitude?: number; longitude?: number } } | undefined;
  const latitude = location?.geoCoordinates?.latitude;
  const longitude = location?.geoCoordinates?.longitude;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return false;
  return distanceKm(user.home, { ...user.home, latitude, longitude }) > km;
}

export function admin(model: TenantModel): UserModel {
  const user = model.users.find((u) => u.isAdmin) ?? model.users[0];
  if (!user) throw invalidScenario(`tenant ${model.tenant.id} has no users`);
  return user;
}

/**
 * Attacker infrastructure: a datacentre block in a country where the tenant
 * has no staff, and never the block of its own corporate VPN (an attack from
 * the tenant's trusted egress is one no rule should see).
 */
export function attackerEgress(context: ScenarioContext, models: readonly TenantModel[] = [context.model]): Egress {
  const present = new Set(models.flatMap((m) => m.tenant.countries));
  const vpnBlocks = new Set(models.map((m) => m.vpnPrefix));
  const named = context.params['attackerCity'];
  const candidates = HOSTING.filter((h) => !present.has(cityNamed(h.city).country) && !vpnBlocks.has(h.prefix));
  const block =
    typeof named === 'string'
      ? HOSTING.find((h) => h.city === named)
      : context.rng.pick(candidates.length > 0 ? candidates : HOSTING);
  if (!block) throw invalidScenario(`no attacker infrastructure in ${String(named)}`);
  return { city: cityNamed(block.city), ip: ipIn(block.prefix, context.rng.int(254)), asn: block.asn };
}

export function foreignCity(context: ScenarioContext, minKm = 0, from?: City): City {
  const present = new Set(context.model.tenant.countries);
  const named = context.params['city'];
  if (typeof named === 'string') return cityNamed(named);
  const far = CITIES.filter((c) => !present.has(c.country) && (!from || distanceKm(from, c) >= minKm));
  return context.rng.pick(far.length > 0 ? far : CITIES);
}
