import { InvalidRecordError } from '@nightjar/core';
import type { TenantCapability } from '@nightjar/events';
import { base, tenantOf, type NormalizeContext } from './context.ts';
import { get, isRecord, list, text } from './fields.ts';
import { contentId } from './hash.ts';

/** Service plans that unlock a feed (m365-api.md §5.2): look at plans, not SKU names, since bundles carry them. */
export const CAPABILITY_PLANS = {
  entraP1: {
    names: ['AAD_PREMIUM', 'AAD_PREMIUM_P2'],
    ids: ['41781fb2-bc02-4b7c-bd55-b576c07bb09d', 'eec0eb4f-6444-4f95-aba0-50c24d67f998'],
  },
  intune: { names: ['INTUNE_A'], ids: ['c1ec4a95-1f05-45b3-a911-aa3fa01094f5'] },
} as const;

const ACTIVE_SKU = new Set(['enabled', 'warning']);

export const CAPABILITY_FEEDS = ['signins', 'directory', 'users', 'devices', 'audit', 'subscriptions'] as const;
export type CapabilityFeed = (typeof CAPABILITY_FEEDS)[number];

interface Licences {
  readonly partNumbers: string[];
  readonly plans: Set<string>;
}

function activeLicences(subscribedSkus: unknown[]): Licences {
  const partNumbers: string[] = [];
  const plans = new Set<string>();
  for (const sku of subscribedSkus) {
    if (!isRecord(sku)) throw new InvalidRecordError('subscribedSku record is not a JSON object');
    const status = text(get(sku, 'capabilityStatus'))?.toLowerCase();
    if (status === undefined || !ACTIVE_SKU.has(status)) continue;
    const partNumber = text(get(sku, 'skuPartNumber'));
    if (partNumber !== null) partNumbers.push(partNumber);
    for (const plan of list(get(sku, 'servicePlans'))) {
      if (!isRecord(plan) || text(get(plan, 'provisioningStatus'))?.toLowerCase() !== 'success') continue;
      const name = text(get(plan, 'servicePlanName'));
      const id = text(get(plan, 'servicePlanId'));
      if (name !== null) plans.add(name.toUpperCase());
      if (id !== null) plans.add(id.toLowerCase());
    }
  }
  return { partNumbers: [...new Set(partNumbers)].sort(), plans };
}

function has(licences: Licences, plan: { names: readonly string[]; ids: readonly string[] }): boolean {
  return plan.names.some((name) => licences.plans.has(name)) || plan.ids.some((id) => licences.plans.has(id));
}

function unavailableReason(feed: CapabilityFeed, licences: Licences): string | null {
  if (feed === 'signins' && !has(licences, CAPABILITY_PLANS.entraP1)) {
    return 'tenant has no Entra ID P1 licence: sign-in logs unavailable';
  }
  if (feed === 'devices' && !has(licences, CAPABILITY_PLANS.intune)) {
    return 'tenant has no Intune licence: managed devices unavailable';
  }
  return null;
}

/**
 * Which feeds a tenant can serve, judged from its subscribedSkus. A plan counts only when it is
 * provisioned (`Success`) inside a SKU whose capabilityStatus is Enabled or Warning.
 */
export function tenantCapabilities(subscribedSkus: unknown[], context: NormalizeContext): TenantCapability[] {
  const tenantId = tenantOf(context, 'subscribedSkus');
  const licences = activeLicences(subscribedSkus);
  return CAPABILITY_FEEDS.map((feed) => {
    const reason = unavailableReason(feed, licences);
    const available = reason === null;
    const eventId = contentId('tenant-capability', tenantId, feed, available, reason, licences.partNumbers);
    return {
      ...base(context, tenantId, eventId, context.ingestTime),
      feed,
      available,
      reason,
      licence_sku_part_numbers: licences.partNumbers,
    };
  });
}
