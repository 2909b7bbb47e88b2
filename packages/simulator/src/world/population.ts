/** Who the tenants are: licences, features, offices, users and their devices. */
import { LICENCE_MIXES, hasPlan } from './catalog.ts';
import type { City } from './cities.ts';
import { CITIES, HOSTING, citiesIn, cityNamed, distanceKm, ipIn } from './cities.ts';
import type { SimTenant, SkuName, TenantFeatures } from './cloud.ts';
import { createDevice } from './devices.ts';
import type { DeviceModel, DeviceOs, TenantModel, Trip, UserModel } from './model.ts';
import { DAY_MS } from './model.ts';
import { createSubscriptions } from './partner.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';
import { Store } from './store.ts';
import { COMPANY_KINDS, COMPANY_WORDS, DEPARTMENTS, GIVEN, SURNAMES, TITLES } from './names.ts';

/** Countries an SMB tends to be in together, so presence lists look like real customers. */
const REGIONS: readonly (readonly string[])[] = [
  ['GB', 'IE'],
  ['US', 'CA'],
  ['DE', 'NL', 'BE', 'CH'],
  ['FR', 'BE'],
  ['ES', 'PT'],
  ['IT', 'CH'],
  ['ZA', 'KE'],
  ['AU', 'NZ'],
  ['SE', 'PL'],
  ['IN', 'SG', 'AE'],
  ['BR', 'AR', 'MX'],
];

export interface PopulationOptions {
  readonly seed: number;
  readonly tenants: number;
  readonly historyStart: number;
}

function tenantFeatures(rng: Random, licences: readonly SkuName[], index: number): TenantFeatures {
  return {
    entraP1: hasPlan(licences, 'AAD_PREMIUM'),
    intune: hasPlan(licences, 'INTUNE_A'),
    auditEnabled: index === 0 || index % 9 !== 4 || rng.chance(0.3),
    consented: index % 17 !== 11,
  };
}

function createTrips(rng: Random, home: City, historyStartDay: number): Trip[] {
  const trips: Trip[] = [];
  const reachable = CITIES.filter((c) => c !== home && distanceKm(home, c) < 6000 && distanceKm(home, c) > 300);
  let day = historyStartDay + rng.between(1, 10);
  for (let i = 0; i < 12 && reachable.length > 0; i++) {
    const length = rng.between(2, 5);
    trips.push({ fromDay: day, toDay: day + length - 1, city: rng.pick(reachable) });
    day += length + rng.between(7, 25);
  }
  return trips;
}

function createUser(
  rng: Random,
  tenant: { readonly domain: string; readonly offices: readonly City[]; readonly licences: readonly SkuName[] },
  index: number,
  taken: Set<string>,
  historyStart: number,
): UserModel {
  const givenName = rng.pick(GIVEN);
  const surname = rng.pick(SURNAMES);
  let local = `${givenName}.${surname}`.toLowerCase();
  for (let n = 2; taken.has(local); n++) local = `${givenName}.${surname}${n}`.toLowerCase();
  taken.add(local);
  const home = index === 0 || rng.chance(0.85) ? (tenant.offices[0] ?? CITIES[0]!) : rng.pick(tenant.offices);
  const startHour = rng.between(7, 10);
  const createdAt = historyStart - rng.between(30, 1500) * DAY_MS;
  const laptop: DeviceOs = rng.chance(0.8) ? 'Windows' : 'macOS';
  const osList: DeviceOs[] = [laptop];
  if (rng.chance(0.65)) osList.push(rng.chance(0.55) ? 'iOS' : 'Android');
  const devices: DeviceModel[] = osList.map((os) =>
    createDevice(
      rng,
      { givenName, index },
      os,
      createdAt + rng.between(1, 20) * DAY_MS,
      {
        complianceState: rng.weighted([
          ['compliant', 90],
          ['noncompliant', 4],
          ['inGracePeriod', 3],
          ['unknown', 3],
        ] as const),
        outdated: rng.chance(0.07),
        staleDays: rng.chance(0.04) ? rng.between(35, 120) : null,
      },
      historyStart,
    ),
  );
  return {
    index,
    id: rng.guid(),
    userPrincipalName: `${local}@${tenant.domain}`,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    puid: `1003${rng.hex(12).toUpperCase()}`,
    home,
    workStartHour: startHour,
    workEndHour: startHour + rng.between(8, 10),
    isAdmin: index < 2,
    accountEnabled: index < 2 || rng.chance(0.96),
    usesVpn: rng.chance(0.12),
    worksInOffice: rng.chance(0.6),
    trips: rng.chance(0.15) ? createTrips(rng, home, Math.floor(historyStart / DAY_MS)) : [],
    licence: rng.pick(tenant.licences),
    createdAt,
    devices,
    jobTitle: `${rng.pick(DEPARTMENTS)} ${rng.pick(TITLES)}`,
    department: rng.pick(DEPARTMENTS),
  };
}

export function createTenant(options: PopulationOptions, index: number): TenantModel {
  const rng = createRandom(`tenant:${options.seed}:${index}`);
  const region = rng.pick(REGIONS);
  const countries = region.filter((_, i) => i === 0 || rng.chance(0.4));
  const offices = countries.flatMap((country) => {
    const cities = citiesIn(country);
    return cities.length > 0 ? [rng.pick(cities)] : [];
  });
  const hq = offices[0] ?? cityNamed('London');
  // The first tenant holds every capability, so each scenario always has somewhere to run.
  const licences: readonly SkuName[] = index === 0 ? ['SPE_E3', 'SPE_E5'] : rng.weighted(LICENCE_MIXES);
  const name = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)}`;
  const domain = `${name.toLowerCase().replace(/[^a-z]/g, '')}${index + 1}.onmicrosoft.com`;
  const vpnBlock = rng.pick(HOSTING.filter((h) => !['Moscow', 'Lagos', 'Hanoi'].includes(h.city)));
  const tenantId = rng.guid();
  const userCount =
    index === 0
      ? rng.between(20, 40)
      : rng.weighted([
          [rng.between(5, 15), 4],
          [rng.between(16, 40), 4],
          [rng.between(41, 90), 2],
        ] as const);
  const taken = new Set<string>();
  const users: UserModel[] = [];
  for (let i = 0; i < userCount; i++)
    users.push(createUser(rng, { domain, offices, licences }, i, taken, options.historyStart));
  const features = tenantFeatures(rng, licences, index);
  const tenant: SimTenant = {
    id: tenantId,
    domain,
    displayName: name,
    credentials: {
      clientId: rng.guid(),
      clientSecret: `${rng.hex(3)}8Q~${rng.hex(34)}`,
      secretExpiresAt: options.historyStart + rng.between(200, 700) * DAY_MS,
    },
    licences,
    features,
    countries: [...new Set(offices.map((c) => c.country))],
    trustedCidrs: [`${vpnBlock.prefix}.0/24`],
  };
  const createdAt = Math.min(...users.map((u) => u.createdAt)) - DAY_MS;
  return {
    index,
    tenant,
    features,
    hq,
    offices,
    officeIp: ipIn(rng.pick(hq.prefixes), rng.int(254)),
    vpnPrefix: vpnBlock.prefix,
    vpnCity: cityNamed(vpnBlock.city),
    users,
    subscriptions: createSubscriptions(rng, licences, users, options.historyStart),
    store: new Store(),
    hasP2: hasPlan(licences, 'AAD_PREMIUM_P2'),
    createdAt,
  };
}
