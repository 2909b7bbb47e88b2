/** Partner Center customers and subscriptions (m365-api.md §10) as of a moment. */
import { SKUS } from './catalog.ts';
import type { MicrosoftRecord, SimTenant, SkuName } from './cloud.ts';
import type { SubscriptionModel, SubscriptionState, TenantModel, UserModel } from './model.ts';
import { DAY_MS, stateAt } from './model.ts';
import type { Random } from './random.ts';
import { isoSeconds } from './time.ts';

export const SUSPENSION_REASONS = ['CustomerCancellation', 'PartnerAction', 'Fraud', 'CreditCheck'] as const;

export interface SubscriptionBaseline {
  readonly suspended: boolean;
  readonly expiringInDays: number | null;
}

export function createSubscriptions(
  rng: Random,
  licences: readonly SkuName[],
  users: readonly UserModel[],
  historyStart: number,
): SubscriptionModel[] {
  return licences.map((sku) => {
    const seats = users.filter((u) => u.licence === sku).length;
    const annual = rng.chance(0.7);
    const createdAt = historyStart - rng.between(60, 900) * DAY_MS;
    const suspended = rng.chance(0.05);
    const expiring = !suspended && rng.chance(0.1);
    const termMs = annual ? 365 * DAY_MS : 30 * DAY_MS;
    const periods = Math.ceil((historyStart - createdAt) / termMs) + 1;
    const commitmentEnd = expiring ? historyStart + rng.between(5, 25) * DAY_MS : createdAt + periods * termMs;
    const states: SubscriptionState[] = [
      {
        from: createdAt,
        status: 'active',
        commitmentEndDate: commitmentEnd,
        autoRenewEnabled: !expiring,
        suspensionReasons: [],
      },
    ];
    if (suspended) {
      states.push({
        from: historyStart - rng.between(1, 20) * DAY_MS,
        status: 'suspended',
        commitmentEndDate: commitmentEnd,
        autoRenewEnabled: false,
        suspensionReasons: [rng.pick(SUSPENSION_REASONS)],
      });
    }
    return {
      id: rng.guid(),
      sku,
      quantity: seats + rng.between(0, 3),
      createdAt,
      billingCycle: annual ? 'annual' : 'monthly',
      termDuration: annual ? 'P1Y' : 'P1M',
      orderId: rng.hex(32),
      states,
    };
  });
}

export function customerRecord(tenant: SimTenant): MicrosoftRecord {
  return {
    id: tenant.id,
    companyProfile: {
      tenantId: tenant.id,
      domain: tenant.domain,
      companyName: tenant.displayName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: tenant.features.advisorOnly ? 'advisor' : 'reseller',
    attributes: { objectType: 'Customer' },
  };
}

export function subscriptionRecord(
  model: TenantModel,
  subscription: SubscriptionModel,
  now: number,
): MicrosoftRecord | undefined {
  const state = stateAt(subscription.states, now);
  if (!state) return undefined;
  const sku = SKUS[subscription.sku];
  const base = `/customers/${model.tenant.id}/subscriptions/${subscription.id}`;
  return {
    id: subscription.id,
    offerId: sku.offerId,
    entitlementId: subscription.orderId.slice(0, 8) + '-' + subscription.id.slice(9),
    offerName: sku.productName,
    friendlyName: sku.productName,
    quantity: subscription.quantity,
    unitType: 'Licenses',
    parentSubscriptionId: null,
    hasPurchasableAddons: false,
    creationDate: isoSeconds(subscription.createdAt),
    effectiveStartDate: isoSeconds(subscription.createdAt),
    commitmentEndDate: isoSeconds(state.commitmentEndDate),
    status: state.status,
    autoRenewEnabled: state.autoRenewEnabled,
    isTrial: false,
    billingType: 'license',
    billingCycle: subscription.billingCycle,
    termDuration: subscription.termDuration,
    renewalTermDuration: subscription.termDuration,
    refundOptions: [],
    isMicrosoftProduct: true,
    publisherName: 'Microsoft Corporation',
    actions: state.status === 'suspended' ? ['Reactivate'] : ['Suspend'],
    suspensionReasons: state.suspensionReasons,
    contractType: 'subscription',
    orderId: subscription.orderId,
    partnerId: '',
    links: {
      offer: { uri: `/offers/${sku.offerId}`, method: 'GET', headers: [] },
      self: { uri: base, method: 'GET', headers: [] },
    },
    attributes: { etag: `"${String(state.from)}"`, objectType: 'Subscription' },
  };
}

export function suspendSubscription(subscription: SubscriptionModel, at: number, reason: string): void {
  const current = stateAt(subscription.states, at) ?? subscription.states[0];
  if (!current) return;
  subscription.states.push({
    ...current,
    from: at,
    status: 'suspended',
    autoRenewEnabled: false,
    suspensionReasons: [reason],
  });
  subscription.states.sort((a, b) => a.from - b.from);
}

export function endCommitmentSoon(subscription: SubscriptionModel, at: number, inDays: number): void {
  const current = stateAt(subscription.states, at) ?? subscription.states[0];
  if (!current) return;
  subscription.states.push({ ...current, from: at, commitmentEndDate: at + inDays * DAY_MS, autoRenewEnabled: false });
  subscription.states.sort((a, b) => a.from - b.from);
}
