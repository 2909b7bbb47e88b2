/**
 * Ordinary activity, one tenant-day at a time from its own random stream, so
 * the same day comes out identical however the clock is advanced.
 */
import type { City } from './cities.ts';
import { HOSTING, ipIn, residentialPrefixes } from './cities.ts';
import type { DeviceModel, TenantModel, UserModel } from './model.ts';
import { DAY_MS, HOUR_MS } from './model.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';
import { addDirectoryChange } from './audits.ts';
import { SIGN_IN_APPS, addSignIn } from './signins.ts';
import { fileOperation, mailItemsAccessed } from './workloads.ts';

export interface Egress {
  readonly city: City;
  readonly ip: string;
  readonly asn: number;
}

function stableHost(user: UserModel): number {
  return parseInt(user.puid.slice(-4), 16);
}

export function homeEgress(user: UserModel): Egress {
  const prefixes = residentialPrefixes(user.home);
  const prefix = prefixes[user.index % prefixes.length] ?? user.home.prefixes[0] ?? '0.0.0';
  return { city: user.home, ip: ipIn(prefix, stableHost(user)), asn: user.home.asn };
}

export function vpnEgress(model: TenantModel, host: number): Egress {
  const asn = HOSTING.find((h) => h.prefix === model.vpnPrefix)?.asn ?? model.vpnCity.asn;
  return { city: model.vpnCity, ip: ipIn(model.vpnPrefix, host), asn };
}

export function officeEgress(model: TenantModel): Egress {
  return { city: model.hq, ip: model.officeIp, asn: model.hq.asn };
}

function egressFor(rng: Random, model: TenantModel, user: UserModel, day: number): Egress {
  const trip = user.trips.find((t) => t.fromDay <= day && day <= t.toDay);
  if (trip) {
    const prefixes = residentialPrefixes(trip.city);
    return { city: trip.city, ip: ipIn(rng.pick(prefixes), stableHost(user) + day), asn: trip.city.asn };
  }
  if (user.usesVpn && rng.chance(0.5)) return vpnEgress(model, stableHost(user));
  if (user.worksInOffice && user.home === model.hq) return officeEgress(model);
  return homeEgress(user);
}

function pickDevice(rng: Random, user: UserModel): DeviceModel | null {
  return user.devices.length > 0 ? rng.pick(user.devices) : null;
}

function userDay(rng: Random, model: TenantModel, user: UserModel, day: number): void {
  const weekday = (day + 4) % 7;
  const working = (weekday >= 1 && weekday <= 5) || rng.chance(0.08);
  const localMidnight = day * DAY_MS - user.home.utcOffsetHours * HOUR_MS;
  const workStart = localMidnight + user.workStartHour * HOUR_MS;
  const workEnd = localMidnight + user.workEndHour * HOUR_MS;
  const base = { user, interactive: true } as const;
  const sessions = working ? rng.between(1, 3) : rng.chance(0.3) ? 1 : 0;
  for (let s = 0; s < sessions; s++) {
    const egress = egressFor(rng, model, user, day);
    const where = { city: egress.city, ip: egress.ip, asn: egress.asn };
    const device = pickDevice(rng, user);
    let at = workStart + rng.int(Math.max(1, workEnd - workStart - HOUR_MS));
    const [client, resource] = rng.pick(SIGN_IN_APPS.interactive);
    const correlationId = rng.guid();
    const roll = rng.next();
    const failure = roll < 0.03 ? 50126 : roll < 0.06 ? 50074 : roll < 0.075 ? 50140 : roll < 0.08 ? 53003 : 0;
    if (failure !== 0) {
      addSignIn(rng, model, { ...base, ...where, at, client, resource, device, correlationId, errorCode: failure });
      if (failure === 53003) continue;
      at += failure === 50126 ? rng.between(20, 180) * 1000 : rng.between(10, 40) * 1000;
    }
    const success = addSignIn(rng, model, { ...base, ...where, at, client, resource, device, correlationId });
    const sessionId = String(success['sessionId']);
    const refreshes = rng.between(5, 10);
    const span = Math.max(HOUR_MS, workEnd - at);
    for (let r = 0; r < refreshes; r++) {
      const [nClient, nResource] = rng.pick(SIGN_IN_APPS.nonInteractive);
      addSignIn(rng, model, {
        ...where,
        user,
        interactive: false,
        at: at + rng.int(span),
        client: nClient,
        resource: nResource,
        device,
        sessionId,
        errorCode: rng.chance(0.01) ? 70044 : 0,
      });
    }
    workloadActivity(rng, model, user, at, where.ip, device);
  }
}

function workloadActivity(
  rng: Random,
  model: TenantModel,
  user: UserModel,
  at: number,
  ip: string,
  device: DeviceModel | null,
): void {
  mailItemsAccessed(rng, model, at + rng.int(HOUR_MS), user, ip, rng.between(1, 12));
  const agent = device?.userAgent ?? 'Microsoft SkyDriveSync 25.091.0512.0001 ship; Windows NT 10.0 (26100)';
  const files = rng.between(0, 4);
  for (let f = 0; f < files; f++) {
    fileOperation(rng, model, {
      at: at + rng.int(6 * HOUR_MS),
      user,
      ip,
      operation: rng.pick(['FileAccessed', 'FileAccessed', 'FileModified', 'FileUploaded', 'FileDownloaded']),
      fileName: `${rng.pick(['Budget', 'Proposal', 'Minutes', 'Roadmap', 'Invoice', 'Notes'])}-${rng.between(1, 400)}.${rng.pick(['docx', 'xlsx', 'pptx', 'pdf'])}`,
      userAgent: agent,
    });
  }
  if (rng.chance(0.03)) {
    fileOperation(rng, model, {
      at: at + rng.int(4 * HOUR_MS),
      user,
      ip,
      operation: 'CompanyLinkCreated',
      recordType: 14,
      fileName: `Shared-${rng.between(1, 99)}.docx`,
      userAgent: agent,
      extra: { EventData: '<Type>View</Type>', TargetUserOrGroupType: 'Member', UniqueSharingId: rng.guid() },
    });
  }
}

function tenantDay(rng: Random, model: TenantModel, day: number): void {
  const admin = model.users[0];
  if (!admin || !rng.chance(0.5)) return;
  const target = rng.pick(model.users);
  const at = day * DAY_MS + (9 - model.hq.utcOffsetHours) * HOUR_MS + rng.int(8 * HOUR_MS);
  const kind = rng.int(3);
  const userTarget = {
    id: target.id,
    displayName: target.displayName,
    type: 'User',
    userPrincipalName: target.userPrincipalName,
  };
  if (kind === 0) {
    addDirectoryChange(rng, model, {
      at,
      activity: 'Update user',
      category: 'UserManagement',
      operationType: 'Update',
      actor: admin,
      target: userTarget,
      modified: [{ displayName: 'Department', oldValue: [target.department], newValue: [target.department] }],
    });
  } else if (kind === 1) {
    addDirectoryChange(rng, model, {
      at,
      activity: 'Add member to group',
      category: 'GroupManagement',
      operationType: 'Assign',
      actor: admin,
      target: userTarget,
      modified: [{ displayName: 'Group.DisplayName', oldValue: null, newValue: 'All Staff' }],
    });
  } else {
    addDirectoryChange(rng, model, {
      at,
      activity: 'Reset user password',
      category: 'UserManagement',
      operationType: 'Update',
      actor: admin,
      target: userTarget,
      service: 'Self-service Password Management',
    });
  }
}

export function generateDay(seed: number, model: TenantModel, day: number): void {
  const rng = createRandom(`day:${seed}:${model.index}:${day}`);
  for (const user of model.users) if (user.accountEnabled) userDay(rng, model, user, day);
  tenantDay(rng, model, day);
}
