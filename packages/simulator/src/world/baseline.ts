/**
 * Labels for conditions the population starts with (a device already stale,
 * a subscription already suspended): an engine will rightly alert on them, so
 * they must count as true positives, not noise. Scenario names start with
 * `baseline/` so a scorer can keep or drop them.
 */
import type { GroundTruthLabel } from './cloud.ts';
import { OS_PROFILES } from './devices.ts';
import type { TenantModel } from './model.ts';
import { DAY_MS, stateAt } from './model.ts';

function label(
  model: TenantModel,
  detection: string,
  kind: 'device' | 'subscription',
  id: string,
  at: number,
): GroundTruthLabel {
  return {
    scenarioId: `baseline-${detection}-${id}`,
    scenario: `baseline/${detection}`,
    expectedDetection: detection,
    nearMiss: false,
    tenantId: model.tenant.id,
    entity: { kind, id },
    eventIds: [id],
    at,
  };
}

export function baselineLabels(models: readonly TenantModel[], now: number): GroundTruthLabel[] {
  const labels: GroundTruthLabel[] = [];
  for (const model of models) {
    for (const user of model.users) {
      for (const device of user.devices) {
        const state = stateAt(device.states, now);
        if (!state) continue;
        if (state.complianceState === 'noncompliant')
          labels.push(label(model, 'device-noncompliant', 'device', device.id, state.from));
        if (state.lastSyncFrozenAt !== undefined && now - state.lastSyncFrozenAt > 30 * DAY_MS) {
          labels.push(label(model, 'device-silent', 'device', device.id, state.lastSyncFrozenAt));
        }
        if (OS_PROFILES[device.os].outdated.includes(state.osVersion))
          labels.push(label(model, 'outdated-os', 'device', device.id, state.from));
      }
    }
    for (const subscription of model.subscriptions) {
      const state = stateAt(subscription.states, now);
      if (!state) continue;
      if (state.status === 'suspended')
        labels.push(label(model, 'subscription-suspended', 'subscription', subscription.id, state.from));
      else if (!state.autoRenewEnabled && state.commitmentEndDate - now < 30 * DAY_MS) {
        labels.push(label(model, 'commitment-expiring', 'subscription', subscription.id, state.from));
      }
    }
  }
  return labels;
}
