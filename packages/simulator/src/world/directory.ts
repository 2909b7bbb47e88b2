/** Graph `users` and `subscribedSkus` (m365-api.md §5) as of a moment. */
import { SKUS } from './catalog.ts';
import type { MicrosoftRecord } from './cloud.ts';
import type { TenantModel, UserModel } from './model.ts';
import { stateAt } from './model.ts';
import { isoSeconds } from './time.ts';

export function userRecord(user: UserModel): MicrosoftRecord {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    mail: user.userPrincipalName,
    jobTitle: user.jobTitle,
    department: user.department,
    officeLocation: user.home.name,
    city: user.home.name,
    country: user.home.country,
    usageLocation: user.home.country,
    preferredLanguage: 'en-US',
    accountEnabled: user.accountEnabled,
    userType: 'Member',
    createdDateTime: isoSeconds(user.createdAt),
    assignedLicenses: [{ skuId: SKUS[user.licence].skuId, disabledPlans: [] }],
    businessPhones: [],
    mobilePhone: null,
    onPremisesSyncEnabled: null,
  };
}

export function subscribedSkuRecords(model: TenantModel, now: number): MicrosoftRecord[] {
  return model.tenant.licences.map((name) => {
    const sku = SKUS[name];
    const subscriptions = model.subscriptions.filter((s) => s.sku === name);
    const states = subscriptions.map((s) => stateAt(s.states, now)?.status ?? 'active');
    const suspended = states.length > 0 && states.every((s) => s === 'suspended');
    const quantity = subscriptions.reduce((sum, s) => sum + s.quantity, 0);
    const capabilityStatus = suspended ? 'Suspended' : 'Enabled';
    return {
      id: `${model.tenant.id}_${sku.skuId}`,
      accountId: model.tenant.id,
      accountName: model.tenant.displayName,
      appliesTo: 'User',
      capabilityStatus,
      consumedUnits: model.users.filter((u) => u.licence === name).length,
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      subscriptionIds: subscriptions.map((s) => s.id),
      prepaidUnits: {
        enabled: suspended ? 0 : quantity,
        suspended: suspended ? quantity : 0,
        warning: 0,
        lockedOut: 0,
      },
      servicePlans: sku.plans.map((plan) => ({
        servicePlanId: plan.servicePlanId,
        servicePlanName: plan.servicePlanName,
        provisioningStatus: 'Success',
        appliesTo: 'User',
      })),
    };
  });
}
