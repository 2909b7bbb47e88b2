/** Device and subscription state changes (detections.md §1.7, §1.8). */
import { OS_PROFILES } from '../devices.ts';
import type { DeviceModel, DeviceState, SubscriptionModel, TenantModel } from '../model.ts';
import { DAY_MS, addState, stateAt } from '../model.ts';
import { endCommitmentSoon, suspendSubscription } from '../partner.ts';
import type { ScenarioContext, ScenarioDefinition } from './context.ts';
import { invalidScenario, numberParam, stringParam } from './context.ts';

function healthyDevice(context: ScenarioContext): { device: DeviceModel; owner: string } {
  const candidates = context.model.users.flatMap((u) =>
    u.devices
      .filter((d) => {
        const state = stateAt(d.states, context.at);
        return state?.complianceState === 'compliant' && state.lastSyncFrozenAt === undefined;
      })
      .map((device) => ({ device, owner: u.userPrincipalName })),
  );
  if (candidates.length === 0) throw invalidScenario(`tenant ${context.model.tenant.id} has no healthy device`);
  return context.rng.pick(candidates);
}

function changeDevice(
  context: ScenarioContext,
  change: (current: DeviceState, device: DeviceModel) => DeviceState,
): void {
  const { device } = healthyDevice(context);
  const current = stateAt(device.states, context.at);
  if (!current) throw invalidScenario('device not enrolled yet');
  addState(device.states, change(current, device));
  context.label({ entity: { kind: 'device', id: device.id }, eventIds: [device.id] });
}

function activeSubscription(context: ScenarioContext): SubscriptionModel {
  const active = context.model.subscriptions.filter((s) => stateAt(s.states, context.at)?.status === 'active');
  if (active.length === 0) throw invalidScenario(`tenant ${context.model.tenant.id} has no active subscription`);
  return context.rng.pick(active);
}

const hasIntune = (m: TenantModel) => m.features.intune;
/** Some tenants' only subscription is suspended already (or by an earlier scenario): they cannot host these. */
const hasActiveSubscription = (m: TenantModel) => m.subscriptions.some((s) => s.states.at(-1)?.status === 'active');

export const ESTATE_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'device-noncompliant',
    detection: 'device-noncompliant',
    summary: 'a compliant device turns non-compliant (needs Intune)',
    fits: hasIntune,
    run(context) {
      changeDevice(context, (current) => ({ ...current, from: context.at, complianceState: 'noncompliant' }));
    },
  },
  {
    name: 'device-silent',
    detection: 'device-silent',
    summary: 'a device that stopped checking in more than a month ago (needs Intune)',
    fits: hasIntune,
    run(context) {
      const silentFor = numberParam(context.params, 'days', 31) * DAY_MS;
      changeDevice(context, (current) => ({
        ...current,
        from: context.at - silentFor,
        lastSyncFrozenAt: context.at - silentFor,
      }));
    },
  },
  {
    name: 'outdated-os',
    detection: 'outdated-os',
    summary: 'a device reporting an out-of-support OS version (needs Intune)',
    fits: hasIntune,
    run(context) {
      changeDevice(context, (current, device) => ({
        ...current,
        from: context.at,
        osVersion: stringParam(context.params, 'osVersion', OS_PROFILES[device.os].outdated[0] ?? '0'),
      }));
    },
  },
  {
    name: 'subscription-suspended',
    detection: 'subscription-suspended',
    summary: 'a CSP subscription goes from active to suspended',
    fits: hasActiveSubscription,
    run(context) {
      const subscription = activeSubscription(context);
      suspendSubscription(subscription, context.at, stringParam(context.params, 'reason', 'CreditCheck'));
      context.label({ entity: { kind: 'subscription', id: subscription.id }, eventIds: [subscription.id] });
    },
  },
  {
    name: 'commitment-expiring',
    detection: 'commitment-expiring',
    summary: 'a CSP subscription whose commitment ends within weeks with auto-renew off',
    fits: hasActiveSubscription,
    run(context) {
      const subscription = activeSubscription(context);
      endCommitmentSoon(subscription, context.at, numberParam(context.params, 'days', 20));
      context.label({ entity: { kind: 'subscription', id: subscription.id }, eventIds: [subscription.id] });
    },
  },
];
