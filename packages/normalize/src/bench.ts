/**
 * Sign-ins normalized per second against JSON.parse of the same pages (the floor), in one run:
 * `node packages/normalize/src/bench.ts [records]`.
 */
import { normalizeSignIn } from './signin/normalize.ts';

const RECORDS = Number(process.argv[2] ?? 50_000);
const PAGE = 1_000;
const context = { mspId: 'msp-bench', tenantId: 'tenant-bench', source: 'bench', ingestTime: Date.now() };

function signIn(index: number): Record<string, unknown> {
  const withLocation = index % 10 !== 0;
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    createdDateTime: new Date(Date.UTC(2026, 2, 2) + index * 1_000).toISOString().replace('Z', '1234Z'),
    userDisplayName: `User ${index % 500}`,
    userPrincipalName: `User${index % 500}@Fabrikam.example`,
    userId: `6f1c0000-0000-0000-0000-${String(index % 500).padStart(12, '0')}`,
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 Exchange Online',
    ipAddress: `81.2.${index % 250}.${(index * 7) % 250}`,
    clientAppUsed: index % 20 === 0 ? 'IMAP4' : 'Browser',
    correlationId: `c-${index}`,
    conditionalAccessStatus: 'notApplied',
    isInteractive: true,
    riskDetail: 'hidden',
    riskLevelAggregated: 'hidden',
    riskLevelDuringSignIn: 'hidden',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    status: { errorCode: index % 7 === 0 ? 50126 : 0, failureReason: null, additionalDetails: null },
    deviceDetail: {
      deviceId: '',
      displayName: null,
      operatingSystem: 'Windows 10',
      browser: 'Edge 120',
      isCompliant: null,
      isManaged: null,
      trustType: null,
    },
    location: withLocation
      ? {
          city: 'Lagos',
          state: 'Lagos',
          countryOrRegion: 'NG',
          geoCoordinates: { altitude: null, latitude: 6.45, longitude: 3.39 },
        }
      : {},
    appliedConditionalAccessPolicies: [],
  };
}

const pages: string[] = [];
for (let start = 0; start < RECORDS; start += PAGE) {
  const value = Array.from({ length: Math.min(PAGE, RECORDS - start) }, (_, offset) => signIn(start + offset));
  pages.push(JSON.stringify({ '@odata.context': 'bench', value }));
}

function rate(label: string, run: () => number): number {
  run(); // warm-up: JIT and the GeoLite tables
  const started = process.hrtime.bigint();
  const count = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const perSecond = count / seconds;
  console.log(`${label.padEnd(34)} ${Math.round(perSecond).toLocaleString('en').padStart(12)} records/s`);
  return perSecond;
}

const floor = rate('JSON.parse (floor)', () => {
  let count = 0;
  for (const page of pages) count += (JSON.parse(page) as { value: unknown[] }).value.length;
  return count;
});
rate('JSON.parse + JSON.stringify (raw)', () => {
  let count = 0;
  for (const page of pages) {
    for (const record of (JSON.parse(page) as { value: unknown[] }).value) {
      JSON.stringify(record);
      count++;
    }
  }
  return count;
});
const normalized = rate('JSON.parse + normalizeSignIn', () => {
  let count = 0;
  for (const page of pages) {
    for (const record of (JSON.parse(page) as { value: unknown[] }).value) {
      normalizeSignIn(record, context);
      count++;
    }
  }
  return count;
});
console.log(`ratio to the floor: ${(normalized / floor).toFixed(2)}x (${RECORDS.toLocaleString('en')} sign-ins)`);
