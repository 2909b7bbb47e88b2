import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { peerFixturesDir } from '@nightjar/testkit';
import { describe, expect, it } from 'vitest';
import {
  DIRECTORY_AUDIT,
  MANAGED_DEVICE,
  PARTNER_CUSTOMER,
  PARTNER_SUBSCRIPTION,
  SIGN_IN,
  SUBSCRIBED_SKU,
  USER,
  contractProblems,
} from './contract-fields.ts';
import type { FieldSpec } from './contract-fields.ts';
import { MANAGEMENT_BY_RECORD_TYPE, MANAGEMENT_COMMON } from './contract-management.ts';
import { CITIES, HOSTING, createWorld } from './index.ts';
import type { MicrosoftRecord } from './index.ts';
import { servedRecords } from './records.ts';

interface GeoLookup {
  readonly country: string;
  readonly city: string;
  readonly ll: readonly [number, number];
}
// geoip-lite ships no types; this is the slice of its API the test reads.
const geoip = createRequire(import.meta.url)('geoip-lite') as { lookup(ip: string): GeoLookup | null };

const world = createWorld({ seed: 21, tenants: 6, days: 4, scenarios: 'all' });
world.advanceTo(world.now() + 6 * 3_600_000);
const served = servedRecords(world);

function problems(records: readonly MicrosoftRecord[], spec: (r: MicrosoftRecord) => FieldSpec): string[] {
  const found = new Set<string>();
  for (const record of records) for (const p of contractProblems(record, spec(record))) found.add(p);
  return [...found].slice(0, 20);
}

describe('records follow m365-api.md field by field', () => {
  it.each([
    ['sign-ins (§2.2)', served.signIns, SIGN_IN],
    ['directory audits (§4)', served.directoryAudits, DIRECTORY_AUDIT],
    ['users (§5.1)', served.users, USER],
    ['subscribed SKUs (§5.2)', served.subscribedSkus, SUBSCRIBED_SKU],
    ['managed devices (§6.1)', served.managedDevices, MANAGED_DEVICE],
    ['Partner Center customers (§10.1)', served.partnerCustomers, PARTNER_CUSTOMER],
    ['Partner Center subscriptions (§10.2)', served.partnerSubscriptions, PARTNER_SUBSCRIPTION],
  ] as const)('%s', (_name, records, spec) => {
    expect(records.length).toBeGreaterThan(0);
    expect(problems(records, () => spec)).toEqual([]);
  });

  it('Management Activity records carry the common schema and their workload fields (§9)', () => {
    const types = new Set(served.auditRecords.map((r) => r['RecordType']));
    expect([...types].map(Number).sort((a, b) => a - b)).toEqual([1, 6, 8, 13, 14, 15, 50]);
    const spec = (r: MicrosoftRecord): FieldSpec => ({
      ...MANAGEMENT_COMMON,
      ...MANAGEMENT_BY_RECORD_TYPE[Number(r['RecordType'])],
    });
    expect(problems(served.auditRecords, spec)).toEqual([]);
    const failedLogons = served.auditRecords.filter((r) => r['Operation'] === 'UserLoginFailed');
    expect(failedLogons.length).toBeGreaterThan(0);
    expect(problems(failedLogons, () => ({ ErrorCode: 'string', LogonError: 'string' }))).toEqual([]);
  });

  it('the checker itself catches a missing field, a bad GUID and a zoned CreationTime', () => {
    const record = { ...served.auditRecords[0], Id: 'not-a-guid', CreationTime: '2026-03-02T09:00:00Z' } as Record<
      string,
      unknown
    >;
    delete record['Workload'];
    expect(contractProblems(record, MANAGEMENT_COMMON)).toEqual([
      'Id: "not-a-guid"',
      'CreationTime: "2026-03-02T09:00:00Z"',
      'Workload missing',
    ]);
  });
});

const PEER = peerFixturesDir() ?? '';

describe.skipIf(!PEER)("records carry every field of Microsoft's own documentation samples", () => {
  // Read in place from the peer fixtures (Microsoft Graph docs, v1.0); parsed with yaml because the samples have trailing commas.
  const sample = (file: string): Record<string, unknown> => {
    const page = parse(readFileSync(`${PEER}/ms-graph-docs/v1.0/${file}`, 'utf8')) as {
      value: Record<string, unknown>[];
    };
    return page.value[0]!;
  };
  it.each([
    ['signin-list.response1.json', served.signIns],
    ['directoryaudit-list.response1.json', served.directoryAudits],
    ['subscribedsku-list.response1.json', served.subscribedSkus],
    ['intune-devices-manageddevice-list.response1.json', served.managedDevices],
  ] as const)('%s', (file, records) => {
    const expected = Object.keys(sample(file)).filter((key) => !key.startsWith('@odata'));
    const missing = expected.filter((key) => !records.every((r) => key in r));
    expect(missing).toEqual([]);
  });
});

describe('geoip-lite agrees with every sign-in', () => {
  it('places every sign-in IP in the country and city the record claims', () => {
    expect(served.signIns.length).toBeGreaterThan(1000);
    const disagreements: string[] = [];
    for (const record of served.signIns) {
      const claimed = record['location'] as {
        city: string;
        countryOrRegion: string;
        geoCoordinates: { latitude: number };
      };
      const found = geoip.lookup(String(record['ipAddress']));
      if (
        found?.country !== claimed.countryOrRegion ||
        found.city !== claimed.city ||
        found.ll[0] !== claimed.geoCoordinates.latitude
      ) {
        disagreements.push(
          `${String(record['ipAddress'])} claims ${claimed.city}, geoip says ${found?.city ?? 'nothing'}`,
        );
      }
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
  });

  it('covers every block of the city table, hosting blocks included', () => {
    const wrong = CITIES.flatMap((city) =>
      city.prefixes.flatMap((prefix) =>
        [1, 128, 254].flatMap((host) => {
          const found = geoip.lookup(`${prefix}.${host}`);
          return found?.city === city.name && found.country === city.country
            ? []
            : [`${prefix}.${host} not ${city.name}`];
        }),
      ),
    );
    expect(wrong).toEqual([]);
    expect(HOSTING.every((h) => CITIES.some((c) => c.name === h.city && c.prefixes.includes(h.prefix)))).toBe(true);
  });
});
