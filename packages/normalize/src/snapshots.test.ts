import { describe, expect, it } from 'vitest';
import { tenantCapabilities } from './capabilities.ts';
import { diffDevices } from './device-diff.ts';
import { normalizeManagedDevice } from './device.ts';
import { diffSubscriptions } from './subscription-diff.ts';
import { normalizePartnerSubscription } from './subscription.ts';

const DAY = 86_400_000;
const context = { mspId: 'msp-1', tenantId: 'tenant-1', source: 'graph.managedDevices', ingestTime: 100 * DAY };

function device(overrides: Record<string, unknown> = {}, ingestTime = context.ingestTime) {
  const record = {
    id: 'd-1',
    deviceName: 'LAPTOP-1',
    userPrincipalName: 'Ana@X.example',
    operatingSystem: 'Windows',
    osVersion: '10.0.22631',
    complianceState: 'compliant',
    lastSyncDateTime: new Date(99 * DAY).toISOString(),
    enrolledDateTime: '0001-01-01T00:00:00Z',
    jailBroken: 'Unknown',
    azureADDeviceId: 'aad-1',
    ...overrides,
  };
  return normalizeManagedDevice(record, { ...context, ingestTime });
}

describe('devices', () => {
  it('maps a managed device; year-1 dates mean never', () => {
    expect(device()).toMatchObject({
      device_uid: 'd-1',
      user_name: 'ana@x.example',
      enrolled_time: null,
      jail_broken: 'Unknown',
    });
    expect(() => device({ complianceState: undefined })).toThrow('managed device record has no complianceState');
  });

  it('reports enrolment, removal, compliance and OS changes with stable ids', () => {
    const before = device();
    const after = device({ complianceState: 'noncompliant', osVersion: '10.0.26100' }, 101 * DAY);
    expect(diffDevices(undefined, before, 100 * DAY, 30 * DAY).map((change) => change.change)).toEqual(['enrolled']);
    expect(diffDevices(before, undefined, 101 * DAY, 30 * DAY)[0]).toMatchObject({
      change: 'removed',
      previous_value: 'compliant',
    });
    const changes = diffDevices(before, after, 101 * DAY, 30 * DAY);
    expect(changes.map((change) => [change.change, change.previous_value, change.current_value])).toEqual([
      ['compliance', 'compliant', 'noncompliant'],
      ['os_version', '10.0.22631', '10.0.26100'],
    ]);
    expect(diffDevices(before, after, 102 * DAY, 30 * DAY).map((change) => change.event_id)).toEqual(
      changes.map((change) => change.event_id),
    );
    expect(diffDevices(before, device(), 101 * DAY, 30 * DAY)).toEqual([]);
  });

  it('reports a device going stale once', () => {
    const fresh = device();
    const later = device({}, 140 * DAY);
    const stale = diffDevices(fresh, later, 140 * DAY, 30 * DAY);
    expect(stale.map((change) => change.change)).toEqual(['stale']);
    expect(diffDevices(later, device({}, 141 * DAY), 141 * DAY, 30 * DAY)).toEqual([]);
  });
});

describe('subscriptions', () => {
  const subscription = {
    id: 'sub-1',
    offerId: 'CFQ7TTC0LCHC:0002',
    offerName: 'Microsoft 365 Business Premium',
    friendlyName: 'M365 BP',
    quantity: 10,
    status: 'active',
    commitmentEndDate: '2016-12-31T00: 00: 00Z',
    autoRenewEnabled: true,
    billingCycle: 'monthly',
    termDuration: 'P1Y',
    isTrial: false,
    links: { self: { uri: '/customers/cust-1/subscriptions/sub-1', method: 'GET' } },
  };
  const pcContext = { mspId: 'msp-1', source: 'partnercenter.subscriptions', ingestTime: 1_000 };

  it('maps a subscription; the customer tenant comes from the link when not given', () => {
    const snapshot = normalizePartnerSubscription(subscription, pcContext);
    expect(snapshot).toMatchObject({ tenant_id: 'cust-1', quantity: 10, commitment_end_time: Date.UTC(2016, 11, 31) });
    expect(normalizePartnerSubscription(subscription, { ...pcContext, ingestTime: 2_000 }).event_id).toBe(
      snapshot.event_id,
    );
  });

  it('reports created, removed, status, quantity and commitment changes', () => {
    const before = normalizePartnerSubscription(subscription, pcContext);
    const after = normalizePartnerSubscription(
      { ...subscription, status: 'suspended', quantity: 12, commitmentEndDate: '2017-12-31T00:00:00Z' },
      pcContext,
    );
    expect(diffSubscriptions(undefined, before, 1).map((change) => change.change)).toEqual(['created']);
    expect(diffSubscriptions(before, undefined, 1).map((change) => change.change)).toEqual(['removed']);
    expect(
      diffSubscriptions(before, after, 1).map((change) => [change.change, change.previous_value, change.current_value]),
    ).toEqual([
      ['status', 'active', 'suspended'],
      ['quantity', '10', '12'],
      ['commitment_end', '2016-12-31T00:00:00.000Z', '2017-12-31T00:00:00.000Z'],
    ]);
  });

  it('rejects a subscription without status', () => {
    expect(() => normalizePartnerSubscription({ ...subscription, status: undefined }, pcContext)).toThrow('no status');
  });
});

describe('tenantCapabilities', () => {
  const plan = (servicePlanName: string, provisioningStatus = 'Success') => ({
    servicePlanName,
    provisioningStatus,
    servicePlanId: 'x',
  });
  const businessBasic = {
    skuPartNumber: 'O365_BUSINESS_ESSENTIALS',
    capabilityStatus: 'Enabled',
    servicePlans: [plan('EXCHANGE_S_STANDARD')],
  };
  const businessPremium = {
    skuPartNumber: 'SPB',
    capabilityStatus: 'Enabled',
    servicePlans: [plan('AAD_PREMIUM'), plan('INTUNE_A'), plan('EXCHANGE_S_STANDARD')],
  };
  const byFeed = (skus: unknown[]) => Object.fromEntries(tenantCapabilities(skus, context).map((c) => [c.feed, c]));

  it('Business Basic: no P1, so sign-ins are unavailable, in plain words', () => {
    const capabilities = byFeed([businessBasic]);
    expect(capabilities.signins).toMatchObject({
      available: false,
      reason: 'tenant has no Entra ID P1 licence: sign-in logs unavailable',
      licence_sku_part_numbers: ['O365_BUSINESS_ESSENTIALS'],
    });
    expect(capabilities.devices?.available).toBe(false);
    expect(capabilities.directory?.available).toBe(true);
    expect(capabilities.audit?.available).toBe(true);
  });

  it('Business Premium: every feed available', () => {
    expect(Object.values(byFeed([businessPremium])).every((capability) => capability.available)).toBe(true);
  });

  it('ignores suspended SKUs and plans still provisioning', () => {
    expect(byFeed([{ ...businessPremium, capabilityStatus: 'Suspended' }]).signins?.available).toBe(false);
    const pending = { ...businessPremium, servicePlans: [plan('AAD_PREMIUM', 'PendingActivation')] };
    expect(byFeed([pending]).signins?.available).toBe(false);
    expect(byFeed([{ ...businessPremium, capabilityStatus: 'Warning' }]).signins?.available).toBe(true);
  });
});
