/** Intune managed devices (m365-api.md §6.1): compact models and their Graph shape as of a moment. */
import type { MicrosoftRecord } from './cloud.ts';
import type { ComplianceState, DeviceModel, DeviceOs, UserModel } from './model.ts';
import { DAY_MS, HOUR_MS, stateAt } from './model.ts';
import type { Random } from './random.ts';
import { isoSeconds } from './time.ts';

interface OsProfile {
  readonly current: readonly string[];
  /** Versions out of support or below any sane tenant minimum (detections.md DEV-003). */
  readonly outdated: readonly string[];
  readonly hardware: readonly (readonly [string, string])[];
  readonly signInOs: string;
  readonly browser: string;
  readonly userAgent: string;
}

export const OS_PROFILES: Readonly<Record<DeviceOs, OsProfile>> = {
  Windows: {
    current: ['10.0.26100.4061', '10.0.26100.3915', '10.0.22631.5335', '10.0.22631.5189'],
    outdated: ['10.0.19045.5854', '10.0.19044.3086', '10.0.22000.2538'],
    hardware: [
      ['Dell Inc.', 'Latitude 7440'],
      ['LENOVO', 'ThinkPad T14 Gen 4'],
      ['HP', 'EliteBook 840 G10'],
      ['Microsoft Corporation', 'Surface Laptop 5'],
    ],
    signInOs: 'Windows10',
    browser: 'Edge 136.0.0',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36 Edg/136.0.0.0',
  },
  macOS: {
    current: ['15.5', '15.4.1', '14.7.6'],
    outdated: ['12.7.6', '11.7.10'],
    hardware: [
      ['Apple', 'MacBook Air (M2, 2022)'],
      ['Apple', 'MacBook Pro (14-inch, 2023)'],
    ],
    signInOs: 'MacOs',
    browser: 'Safari 18.5',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
  },
  iOS: {
    current: ['18.5', '18.4.1', '17.7.2'],
    outdated: ['15.8.4', '16.7.10'],
    hardware: [
      ['Apple', 'iPhone 15'],
      ['Apple', 'iPhone 14 Pro'],
      ['Apple', 'iPhone 13'],
    ],
    signInOs: 'Ios',
    browser: 'Mobile Safari',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  },
  Android: {
    current: ['15', '14'],
    outdated: ['11', '10'],
    hardware: [
      ['samsung', 'SM-S921B'],
      ['Google', 'Pixel 8'],
      ['motorola', 'moto g54 5G'],
    ],
    signInOs: 'Android',
    browser: 'Chrome Mobile 136.0.0',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Mobile Safari/537.36',
  },
};

const SYNC_CYCLE_MS = 8 * HOUR_MS;

export interface DeviceBaseline {
  readonly complianceState: ComplianceState;
  readonly outdated: boolean;
  readonly staleDays: number | null;
}

export function createDevice(
  rng: Random,
  user: { readonly givenName: string; readonly index: number },
  os: DeviceOs,
  enrolledAt: number,
  baseline: DeviceBaseline,
  historyStart: number,
): DeviceModel {
  const profile = OS_PROFILES[os];
  const [manufacturer, model] = rng.pick(profile.hardware);
  const azureADDeviceId = rng.guid();
  const prefix = os === 'Windows' ? 'DESKTOP' : os === 'macOS' ? 'MAC' : os === 'iOS' ? 'IPHONE' : 'ANDROID';
  const deviceName = `${prefix}-${rng.hex(7).toUpperCase()}`;
  const osVersion = baseline.outdated ? rng.pick(profile.outdated) : rng.pick(profile.current);
  const frozen = baseline.staleDays === null ? {} : { lastSyncFrozenAt: historyStart - baseline.staleDays * DAY_MS };
  const managed = os === 'Windows' || os === 'macOS' ? 'Azure AD joined' : 'Azure AD registered';
  return {
    id: rng.guid(),
    azureADDeviceId,
    os,
    deviceName,
    manufacturer,
    model,
    serialNumber: rng.hex(10).toUpperCase(),
    enrolledAt,
    syncPhaseMs: rng.int(SYNC_CYCLE_MS),
    ownerType: os === 'Windows' || os === 'macOS' ? 'company' : rng.chance(0.6) ? 'personal' : 'company',
    states: [{ from: enrolledAt, complianceState: baseline.complianceState, osVersion, ...frozen }],
    signInDetail: {
      deviceId: azureADDeviceId,
      displayName: deviceName,
      operatingSystem: profile.signInOs,
      browser: profile.browser,
      isCompliant: baseline.complianceState === 'compliant',
      isManaged: true,
      trustType: managed,
    },
    userAgent: profile.userAgent,
  };
}

export function lastSyncAt(device: DeviceModel, now: number): number {
  const state = stateAt(device.states, now);
  if (state?.lastSyncFrozenAt !== undefined) return Math.min(state.lastSyncFrozenAt, now);
  const cycles = Math.floor((now - device.syncPhaseMs) / SYNC_CYCLE_MS);
  return Math.max(device.enrolledAt, cycles * SYNC_CYCLE_MS + device.syncPhaseMs);
}

export function managedDeviceRecord(device: DeviceModel, user: UserModel, now: number): MicrosoftRecord | undefined {
  const state = stateAt(device.states, now);
  if (!state) return undefined;
  const mobile = device.os === 'iOS' || device.os === 'Android';
  const graceEnds =
    state.complianceState === 'inGracePeriod' ? state.from + 3 * DAY_MS : Date.UTC(9999, 11, 31, 23, 59, 59);
  const totalStorage = mobile ? 128 * 1024 ** 3 : 512 * 1024 ** 3;
  return {
    id: device.id,
    userId: user.id,
    deviceName: device.deviceName,
    managedDeviceOwnerType: device.ownerType,
    enrolledDateTime: isoSeconds(device.enrolledAt),
    lastSyncDateTime: isoSeconds(lastSyncAt(device, now)),
    operatingSystem: device.os,
    complianceState: state.complianceState,
    jailBroken: mobile ? 'False' : 'Unknown',
    managementAgent: 'mdm',
    osVersion: state.osVersion,
    easActivated: mobile,
    easDeviceId: mobile ? device.serialNumber : '',
    easActivationDateTime: isoSeconds(mobile ? device.enrolledAt : 0),
    azureADRegistered: true,
    deviceEnrollmentType: device.os === 'Windows' ? 'windowsAzureADJoin' : 'userEnrollment',
    emailAddress: user.userPrincipalName,
    azureADDeviceId: device.azureADDeviceId,
    deviceRegistrationState: 'registered',
    deviceCategoryDisplayName: 'Unknown Category',
    isSupervised: false,
    exchangeLastSuccessfulSyncDateTime: isoSeconds(mobile ? lastSyncAt(device, now) : 0),
    exchangeAccessState: mobile ? 'allowed' : 'none',
    exchangeAccessStateReason: mobile ? 'compliant' : 'none',
    remoteAssistanceSessionUrl: null,
    remoteAssistanceSessionErrorDetails: null,
    isEncrypted: state.complianceState === 'compliant',
    userPrincipalName: user.userPrincipalName,
    model: device.model,
    manufacturer: device.manufacturer,
    imei: '',
    complianceGracePeriodExpirationDateTime: isoSeconds(graceEnds),
    serialNumber: device.serialNumber,
    phoneNumber: '',
    androidSecurityPatchLevel: device.os === 'Android' ? '2025-05-01' : '',
    userDisplayName: user.displayName,
    configurationManagerClientEnabledFeatures: null,
    wiFiMacAddress: rng6(device.serialNumber),
    deviceHealthAttestationState: null,
    subscriberCarrier: '',
    meid: '',
    totalStorageSpaceInBytes: totalStorage,
    freeStorageSpaceInBytes: Math.floor(totalStorage * 0.37),
    managedDeviceName: `${user.givenName}_${device.os}_${enrolledLabel(device.enrolledAt)}`,
    partnerReportedThreatState: 'unknown',
    deviceActionResults: [],
    activationLockBypassCode: null,
    iccid: null,
    udid: null,
    notes: null,
    ethernetMacAddress: null,
    physicalMemoryInBytes: 0,
  };
}

/** Intune's own naming: `Ana_Windows_3/2/2026_8:14 AM`. */
function enrolledLabel(at: number): string {
  const d = new Date(at);
  const hour = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const minute = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}_${hour}:${minute} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** A stable MAC-looking string from the serial, with no randomness at read time. */
function rng6(serial: string): string {
  return serial.slice(0, 12).padEnd(12, '0').toLowerCase();
}
