/** createWorld: the population, its history up to `startAt`, and the scenarios asked for. */
import { NightjarError } from '@nightjar/core';
import { generateDay } from './activity.ts';
import type { GroundTruthLabel, MicrosoftRecord, ScenarioRequest, TenantFeatures, World } from './cloud.ts';
import { managedDeviceRecord } from './devices.ts';
import { subscribedSkuRecords, userRecord } from './directory.ts';
import { baselineLabels } from './baseline.ts';
import type { TenantModel } from './model.ts';
import { DAY_MS, HOUR_MS } from './model.ts';
import { customerRecord, subscriptionRecord } from './partner.ts';
import { createTenant } from './population.ts';
import { runScenario } from './inject.ts';
import { SCENARIOS } from './scenarios/index.ts';

export interface WorldOptions {
  readonly seed: number;
  readonly tenants: number;
  readonly days: number;
  /** Epoch ms of `now()` at creation; defaults to a fixed instant so runs are byte-identical. */
  readonly startAt?: number;
  readonly scenarios?: 'all' | 'none' | readonly string[];
}

/** 2026-03-02T09:00:00Z: a Monday morning, so the history ends on a working day. */
export const DEFAULT_START_AT = Date.UTC(2026, 2, 2, 9, 0, 0);
export const MAX_TENANTS = 500;

export interface WorldInternals {
  readonly models: readonly TenantModel[];
  readonly model: (tenantId: string) => TenantModel;
  readonly seed: number;
}

const internals = new WeakMap<World, WorldInternals>();

export function worldInternals(world: World): WorldInternals {
  const found = internals.get(world);
  if (!found) throw new TypeError('not a world made by createWorld');
  return found;
}

export function createWorld(options: WorldOptions): World {
  if (!Number.isInteger(options.tenants) || options.tenants < 1 || options.tenants > MAX_TENANTS) {
    throw new RangeError(`tenants must be an integer from 1 to ${MAX_TENANTS}`);
  }
  if (!(options.days > 0)) throw new RangeError('days must be positive');
  const startAt = options.startAt ?? DEFAULT_START_AT;
  const historyStart = startAt - options.days * DAY_MS;
  const models = Array.from({ length: options.tenants }, (_, i) =>
    createTenant({ seed: options.seed, tenants: options.tenants, historyStart }, i),
  );
  const byId = new Map(models.map((m) => [m.tenant.id, m]));
  const labels: GroundTruthLabel[] = [];
  let now = historyStart;
  let generatedThroughDay = Math.floor(historyStart / DAY_MS) - 1;
  let injections = 0;

  const model = (tenantId: string): TenantModel => {
    const found = byId.get(tenantId);
    if (!found) throw new RangeError(`unknown tenant ${tenantId}`);
    return found;
  };
  const generateThrough = (at: number): void => {
    const lastDay = Math.floor(at / DAY_MS);
    for (let day = generatedThroughDay + 1; day <= lastDay; day++) {
      for (const m of models) generateDay(options.seed, m, day);
    }
    generatedThroughDay = Math.max(generatedThroughDay, lastDay);
  };

  const world: World = {
    now: () => now,
    tenants: () => models.map((m) => m.tenant),
    tenant: (id) => byId.get(id)?.tenant,
    signIns: (id, kind) => model(id).store.signInsAt(kind, now),
    directoryAudits: (id) => model(id).store.directoryAuditsAt(now),
    users: (id) =>
      model(id)
        .users.filter((u) => u.createdAt <= now)
        .map((u) => userRecord(u)),
    subscribedSkus: (id) => subscribedSkuRecords(model(id), now),
    managedDevices: (id) => {
      const m = model(id);
      const records: MicrosoftRecord[] = [];
      for (const user of m.users) {
        for (const device of user.devices) {
          const record = managedDeviceRecord(device, user, now);
          if (record) records.push(record);
        }
      }
      return records;
    },
    auditRecords: (id, contentType) => model(id).store.auditRecordsAt(contentType, now),
    partnerCustomers: () => models.map((m) => customerRecord(m.tenant)),
    partnerSubscriptions: (customerTenantId) => {
      const m = model(customerTenantId);
      return m.subscriptions.flatMap((s) => {
        const record = subscriptionRecord(m, s, now);
        return record ? [record] : [];
      });
    },
    labels: () => labels,
    advanceTo(at) {
      if (at <= now) return;
      generateThrough(at);
      now = at;
    },
    inject(request: ScenarioRequest) {
      injections += 1;
      const added = runScenario({
        seed: options.seed,
        models,
        request,
        at: request.at ?? now,
        injection: injections,
        model,
      });
      labels.push(...added);
      return added;
    },
    scenarioNames: () => SCENARIOS.map((s) => s.name),
    setFeatures(tenantId: string, features: Partial<TenantFeatures>) {
      const m = model(tenantId);
      m.features = { ...m.features, ...features };
      m.tenant = { ...m.tenant, features: m.features };
    },
  };
  internals.set(world, { models, model, seed: options.seed });

  world.advanceTo(startAt);
  labels.push(...baselineLabels(models, startAt));
  const requested = options.scenarios ?? 'none';
  // 'all' means all the population can host: a cross-tenant attack needs its tenants.
  const names =
    requested === 'all'
      ? SCENARIOS.filter((s) => (s.minTenants ?? 1) <= models.length).map((s) => s.name)
      : requested === 'none'
        ? []
        : requested;
  // Spread over the last days, oldest first, so every attack is visible (and past the Management API's latency) at startAt.
  const spacing = Math.min(
    3 * HOUR_MS,
    Math.max(HOUR_MS, (options.days * DAY_MS - 12 * HOUR_MS) / Math.max(1, names.length)),
  );
  names.forEach((scenario, i) => {
    const at = startAt - 12 * HOUR_MS - (names.length - 1 - i) * spacing;
    try {
      world.inject({ scenario, at });
    } catch (error) {
      // 'all' is every scenario the population can host: a tenant whose only subscription is
      // suspended hosts no suspension. Scenarios asked for by name still fail loudly.
      if (requested !== 'all' || !(error instanceof NightjarError) || error.code !== 'NJ_SIM_SCENARIO_INVALID')
        throw error;
    }
  });
  return world;
}
