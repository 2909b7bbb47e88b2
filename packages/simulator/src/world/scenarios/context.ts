/** What a scenario generator gets, and the small helpers every generator shares. */
import { NightjarError } from '@nightjar/core';
import type { City } from '../cities.ts';
import { CITIES, HOSTING, cityNamed, distanceKm, ipIn } from '../cities.ts';
import type { GroundTruthLabel } from '../cloud.ts';
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

export function admin(model: TenantModel): UserModel {
  const user = model.users.find((u) => u.isAdmin) ?? model.users[0];
  if (!user) throw invalidScenario(`tenant ${model.tenant.id} has no users`);
  return user;
}

/** Attacker infrastructure: a datacentre block in a country where the tenant has no staff. */
export function attackerEgress(context: ScenarioContext, models: readonly TenantModel[] = [context.model]): Egress {
  const present = new Set(models.flatMap((m) => m.tenant.countries));
  const named = context.params['attackerCity'];
  const candidates = HOSTING.filter((h) => !present.has(cityNamed(h.city).country));
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
