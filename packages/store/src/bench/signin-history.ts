/**
 * Sign-in history at MSP scale in embedded mode (chDB): load time, the latency
 * of the three reads analysts wait on (a user's history, an IP pivot, the
 * dashboard), and what it costs on disk. Not a test:
 * run it by hand and read the figures beside their targets.
 *
 *   cd packages/store && node src/bench/signin-history.ts [rows] [tenants]
 *
 * Rows are generated inside ClickHouse (INSERT … SELECT FROM numbers) over
 * the last 30 days, then merged with OPTIMIZE FINAL so reads see the parts a
 * settled table has. Queries run one at a time with varying parameters after
 * a warm-up, through the store's parameterised query().
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createChdbStore } from '../chdb/chdb-store.ts';
import { migrate } from '../migrations/migrate.ts';
import { loadMigrations } from '../migrations/migration-files.ts';
import type { HistoryStore, QueryParams } from '../port.ts';
import { clickhouseTime } from '../time.ts';

const rows = Number(process.argv[2] ?? 10_000_000);
const tenants = Number(process.argv[3] ?? 200);
const RUNS = 200;
const WARMUP = 20;
const INSERT_CHUNK = 1_000_000;
const SIGN_INS_PER_USER = 300;
const TENANTS_PER_MSP = 20;
const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'clickhouse');

const shape: SignInShape = {
  tenants,
  msps: Math.max(1, Math.ceil(tenants / TENANTS_PER_MSP)),
  usersPerTenant: Math.max(1, Math.round(rows / tenants / SIGN_INS_PER_USER)),
};

// The statement /v1/users/{upn}/signins?tenant=… runs (services/api, routes/signins.ts): the list columns,
// newest first, one row per event, a row more than the page to know whether another page follows.
const HISTORY_COLUMNS = `time, event_id, tenant_id, user_name, status, status_code, app_name, src_ip, src_country,
  src_city, client_app, device_os, risk_level_during, conditional_access_status`;
const userHistory = (table: string, tenant = true): string => `
  SELECT ${HISTORY_COLUMNS}
  FROM ${table} FINAL
  WHERE msp_id = {msp:String}${tenant ? ' AND tenant_id = {tenant:String}' : ''} AND user_name = {user:String}
    AND time >= {from:DateTime64(3)}
  ORDER BY time DESC, event_id DESC
  LIMIT 501`;

// Reads only columns of the signins_by_ip projection; LIMIT 1 BY folds replays that are not merged yet.
const IP_FAILURES = `
  SELECT time, tenant_id, event_id, user_name, status_code, status_detail, app_name, client_app,
         src_ip, src_country, user_agent, risk_level_during
  FROM signins
  WHERE msp_id = {msp:String} AND src_ip_address = toIPv6({ip:String}) AND status = 'failure'
    AND time >= now() - INTERVAL 30 DAY
  ORDER BY time DESC
  LIMIT 1 BY event_id
  LIMIT 500`;

const dashboard = (interval: string): string => `
  SELECT tenant_id, status, src_country, uniqExactMerge(sign_ins) AS sign_ins, uniqMerge(users) AS users
  FROM signins_hourly
  WHERE msp_id = {msp:String} AND hour >= toStartOfHour(now() - INTERVAL ${interval})
  GROUP BY tenant_id, status, src_country
  ORDER BY tenant_id, status, src_country`;

interface SignInShape {
  readonly tenants: number;
  readonly msps: number;
  readonly usersPerTenant: number;
}

const list = (values: readonly string[]): string => `[${values.map((value) => `'${value}'`).join(', ')}]`;
const words = (text: string): string => list(text.split(' '));

// Home countries of tenants, then the rest of the 40 in falling order of how often they appear.
const COUNTRIES = words(
  'US GB NL DE FR IE CA AU BE ES IT SE PL CH DK NO AT PT FI NZ IN SG JP BR MX ZA AE CZ RO HU TR UA RU ' +
    'CN HK VN NG ID KR AR',
);
const HOME_COUNTRIES = 8;
const FIRST_NAMES = words(
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan ' +
    'joseph jessica thomas sarah chris karen daniel lisa matthew nancy anthony sandra mark ashley steven ' +
    'emily paul megan andrew laura joshua anna kevin emma brian sophie',
);
const LAST_NAMES = words(
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez wilson ' +
    'anderson thomas taylor moore jackson martin lee thompson white harris clark lewis robinson walker ' +
    'young allen king wright scott green baker adams nelson hill campbell mitchell roberts',
);
const COMPANIES = words(
  'contoso fabrikam northwind adventure-works tailspin wingtip litware proseware woodgrove fourthcoffee ' +
    'alpineski blueyonder cohowinery lucernepub margiestravel relecloud treyresearch wideworldimporters ' +
    'humongousins graphicdesigninst cpandl adatum lamnahealth southridgevideo tasmaniantraders',
);
const APPS = list([
  'Office 365 Exchange Online',
  'Microsoft Teams',
  'Microsoft Office',
  'OneDrive SyncEngine',
  'Azure Portal',
  'Microsoft Authentication Broker',
]);
const APP_IDS = list([
  '00000002-0000-0ff1-ce00-000000000000',
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  'ab9b8c07-8f02-4f72-87fa-80105867a763',
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
  '29d9ed98-a469-4536-ade2-f981bc1d605e',
]);
const RESOURCES = list([
  'Office 365 Exchange Online',
  'Microsoft Teams Services',
  'Office 365 SharePoint Online',
  'Office 365 SharePoint Online',
  'Windows Azure Service Management API',
  'Microsoft Graph',
]);
// Entra sign-in error codes of failed sign-ins, weighted below: bad password, locked out, MFA needed, CA block, disabled.
const FAILURE_CODES = '[50126, 50053, 50074, 50076, 53003, 50057]';
const FAILURE_DETAILS = list([
  'Invalid username or password or Invalid on-premise username or password.',
  'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  'Strong Authentication is required.',
  'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.',
  'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  'User account is disabled. The account has been disabled by an administrator.',
]);
const USER_AGENTS = list([
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
]);
const ATTACK_AGENTS = list([
  'python-requests/2.32.3',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2) BAV2ROPC',
  'fasthttp',
]);
const DEVICE_OS = list(['Windows10', 'MacOs', 'Ios', 'Windows10', 'Android']);
const BROWSERS = list([
  'Edge 131.0.0',
  'Safari 17.6',
  'Mobile Safari 17.6',
  'Rich Client 16.0.17928',
  'Chrome Mobile 131.0.0',
]);

/** A UUID made from a hash of the given expressions: stable per user, tenant or day. */
const uuidOf = (expressions: string): string =>
  `toString(reinterpretAsUUID(concat(reinterpretAsFixedString(cityHash64(${expressions}, 1)), reinterpretAsFixedString(cityHash64(${expressions}, 2)))))`;

/**
 * An INSERT … SELECT writing sign-ins [offset, offset + count) of the data set.
 * Users sign in from one of three home addresses (a small pool, so addresses
 * recur across tenants) and now and then from a VPN exit or while travelling;
 * 15 % fail, most of those from a pool of 300 spray addresses that hit every
 * tenant of every MSP.
 */
function signInGenerator(shape: SignInShape): (offset: number, count: number) => string {
  return (offset, count) => `
INSERT INTO signins (msp_id, tenant_id, source, event_id, time, ingest_time, user_uid, user_name, user_display_name,
  is_interactive, status, status_code, status_detail, app_uid, app_name, resource_uid, resource_name, src_ip, src_country,
  src_region, src_city, src_lat, src_lon, client_app, is_legacy_auth, user_agent, device_uid, device_name, device_os,
  device_browser, device_is_compliant, device_is_managed, device_trust_type, risk_level_during, risk_level_aggregated,
  risk_state, risk_detail, risk_event_types, conditional_access_status, correlation_id, session_id, raw)
SELECT
  concat('msp-', leftPad(toString(t % ${shape.msps}), 3, '0')) AS msp,
  ${uuidOf("'tenant', t")} AS tenant,
  'graph',
  toString(generateUUIDv4(1)) AS id,
  now64(3, 'UTC') - toIntervalMillisecond(cityHash64(n, 'time') % 2592000000) AS at,
  at + toIntervalMillisecond(2000 + cityHash64(n, 'lag') % 120000),
  ${uuidOf("'user', t, u")},
  concat(first_name, '.', last_name, if(u >= 1600, toString(intDiv(u, 1600)), ''), '@', domain) AS upn,
  concat(initcap(first_name), ' ', initcap(last_name)),
  attack OR cityHash64(n, 'interactive') % 100 < 65,
  if(failed, 'failure', 'success') AS outcome,
  if(failed, ${FAILURE_CODES}[code_index], 0) AS code,
  if(failed, ${FAILURE_DETAILS}[code_index], NULL),
  ${APP_IDS}[app_index],
  ${APPS}[app_index] AS app,
  ${uuidOf("'resource', app_index")},
  ${RESOURCES}[app_index],
  IPv4NumToString(toUInt32(16777216 + cityHash64('ip', ip_index) % 3472883712)) AS ip,
  country,
  NULL,
  if(home, concat(country, ' office ', toString(cityHash64(t, 'office') % 3 + 1)), NULL),
  round((cityHash64('lat', ip_index) % 12000) / 100 - 50, 4),
  round((cityHash64('lon', ip_index) % 36000) / 100 - 180, 4),
  if(legacy, ['Exchange ActiveSync', 'IMAP4', 'Authenticated SMTP'][cityHash64(n, 'legacy') % 3 + 1],
     ['Browser', 'Mobile Apps and Desktop clients'][cityHash64(n, 'client') % 2 + 1]) AS client,
  legacy,
  if(attack, ${ATTACK_AGENTS}[cityHash64(ip_index, 'agent') % 3 + 1], ${USER_AGENTS}[device_index]),
  if(managed AND NOT attack, ${uuidOf("'device', t, u")}, NULL),
  if(managed AND NOT attack, concat('LT-', upper(substring(hex(cityHash64(t, u, 'device')), 1, 7))), NULL),
  if(attack, NULL, ${DEVICE_OS}[device_index]),
  if(attack, NULL, ${BROWSERS}[device_index]),
  if(attack, NULL, managed AND cityHash64(t, u, 'compliant') % 10 < 9),
  if(attack, NULL, managed),
  if(managed AND NOT attack, 'Azure AD joined', NULL),
  if(attack AND cityHash64(n, 'risk') % 4 = 0, 'medium', 'none') AS risk,
  risk,
  if(risk = 'none', 'none', 'atRisk'),
  'none',
  if(risk = 'none', [], ['unfamiliarFeatures']),
  multiIf(code = 53003, 'failure', cityHash64(n, 'ca') % 100 < 60, 'success', 'notApplied'),
  toString(generateUUIDv4(2)),
  ${uuidOf("'session', t, u, toDate(at)")},
  concat('{"id":"', id, '","createdDateTime":"', formatDateTime(at, '%Y-%m-%dT%H:%i:%SZ'), '","userPrincipalName":"', upn,
         '","appDisplayName":"', app, '","ipAddress":"', ip, '","clientAppUsed":"', client,
         '","status":{"errorCode":', toString(code), '},"location":{"countryOrRegion":"', country, '"}}')
FROM
(
  SELECT
    number AS n,
    n % ${shape.tenants} AS t,
    intDiv(n, ${shape.tenants}) % ${shape.usersPerTenant} AS u,
    ${FIRST_NAMES}[(u + t * 7) % 40 + 1] AS first_name,
    ${LAST_NAMES}[(intDiv(u, 40) + t * 3) % 40 + 1] AS last_name,
    concat(${COMPANIES}[t % 25 + 1], if(t >= 25, toString(intDiv(t, 25)), ''), '.com') AS domain,
    cityHash64(n, 'fail') % 1000 < 150 AS failed,
    failed AND cityHash64(n, 'attack') % 100 < 60 AS attack,
    multiIf(NOT failed, 1, cityHash64(n, 'code') % 100 < 55, 1, cityHash64(n, 'code') % 100 < 70, 2,
            cityHash64(n, 'code') % 100 < 85, 3, cityHash64(n, 'code') % 100 < 92, 4,
            cityHash64(n, 'code') % 100 < 97, 5, 6) AS code_index,
    cityHash64(n, 'where') % 100 AS where_draw,
    NOT attack AND where_draw < 90 AS home,
    NOT attack AND NOT home AND where_draw < 95 AS vpn,
    multiIf(attack, 1000000 + cityHash64(n, 'spray') % 300,
            vpn, 2000000 + cityHash64(n, 'vpn') % 200,
            home, cityHash64(t, u, cityHash64(n, 'home') % 3) % 50000,
            3000000 + cityHash64(n, 'travel') % 100000) AS ip_index,
    if(home, ${COUNTRIES}[t % ${HOME_COUNTRIES} + 1],
       ${COUNTRIES}[toUInt32(floor(40 * pow((cityHash64('country', ip_index) % 10000) / 10000, 2))) + 1]) AS country,
    cityHash64(n, 'app') % 6 + 1 AS app_index,
    cityHash64(t, u, 'device') % 5 + 1 AS device_index,
    cityHash64(t, u, 'managed') % 10 < 7 AS managed,
    attack AND cityHash64(n, 'legacy attack') % 5 = 0 OR cityHash64(n, 'legacy') % 1000 < 8 AS legacy
  FROM numbers(${offset}, ${count})
)`;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly meanRows: number;
}

async function measure(store: HistoryStore, sql: string, params: readonly QueryParams[]): Promise<Latency> {
  for (let run = 0; run < WARMUP; run += 1) await store.query(sql, params[run % params.length]);
  const latencies: number[] = [];
  let returned = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const result = await store.query(sql, params[run % params.length]);
    latencies.push(performance.now() - started);
    returned += result.length;
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: latencies[Math.floor(RUNS * 0.5)] ?? Number.NaN,
    p99: latencies[Math.ceil(RUNS * 0.99) - 1] ?? Number.NaN,
    meanRows: returned / RUNS,
  };
}

function verdict(value: number, target: number): string {
  return `${ms(value)} (target ≤ ${target} ms ${value <= target ? 'met' : 'MISSED'})`;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

async function load(store: HistoryStore): Promise<void> {
  const generate = signInGenerator(shape);
  const started = performance.now();
  for (let offset = 0; offset < rows; offset += INSERT_CHUNK) {
    await store.command(generate(offset, Math.min(INSERT_CHUNK, rows - offset)));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `load      ${count(rows)} rows in ${seconds.toFixed(1)} s: ${count(rows / seconds)} rows/s ` +
      `(INSERT … SELECT in chunks of ${count(INSERT_CHUNK)}, projection, hourly view and per-user copy written on insert)`,
  );
  const merging = performance.now();
  await store.command('OPTIMIZE TABLE signins FINAL');
  await store.command('OPTIMIZE TABLE signins_hourly FINAL');
  await store.command('OPTIMIZE TABLE signins_by_user FINAL');
  const parts = await store.query<{ table: string; parts: string }>(
    `SELECT table, toString(count()) AS parts FROM system.parts
     WHERE database = currentDatabase() AND active AND table IN ('signins', 'signins_hourly', 'signins_by_user')
     GROUP BY table ORDER BY table`,
  );
  console.log(
    `merge     OPTIMIZE FINAL in ${((performance.now() - merging) / 1000).toFixed(1)} s; active parts: ` +
      parts.map((part) => `${part.table} ${part.parts}`).join(', '),
  );
}

// A type, not an interface, so it is a QueryParams record.
type UserKey = { readonly msp: string; readonly tenant: string; readonly user: string };

/** Parameters drawn from the data so every query hits a real user or address. */
async function sampleParams(store: HistoryStore): Promise<{
  users: UserKey[];
  sprayIps: QueryParams[];
  anyIps: QueryParams[];
  msps: QueryParams[];
}> {
  const users = await store.query<UserKey>(
    `SELECT msp_id AS msp, tenant_id AS tenant, user_name AS user
     FROM (SELECT DISTINCT msp_id, tenant_id, user_name FROM signins)
     ORDER BY cityHash64(tenant_id, user_name) LIMIT ${RUNS}`,
  );
  // The addresses a password spray comes from: many failures across many tenants.
  const sprayIps = await store.query<QueryParams>(
    `SELECT msp_id AS msp, IPv6NumToString(src_ip_address) AS ip
     FROM signins WHERE status = 'failure'
     GROUP BY msp_id, src_ip_address ORDER BY uniqExact(tenant_id) DESC, count() DESC LIMIT ${RUNS}`,
  );
  // Any address that failed once: mostly a user's home or office address.
  const anyIps = await store.query<QueryParams>(
    `SELECT msp_id AS msp, IPv6NumToString(src_ip_address) AS ip
     FROM (SELECT DISTINCT msp_id, src_ip_address FROM signins WHERE status = 'failure')
     ORDER BY cityHash64(msp_id, src_ip_address) LIMIT ${RUNS}`,
  );
  const msps = await store.query<QueryParams>(`SELECT DISTINCT msp_id AS msp FROM signins_hourly ORDER BY msp`);
  return { users, sprayIps, anyIps, msps };
}

async function printSizes(store: HistoryStore): Promise<void> {
  const tables = await store.query<{
    table: string;
    rows: string;
    disk: string;
    compressed: string;
    raw: string;
    format: string;
  }>(
    `SELECT table, toString(sum(rows)) AS rows, toString(sum(bytes_on_disk)) AS disk,
            toString(sum(data_compressed_bytes)) AS compressed, toString(sum(data_uncompressed_bytes)) AS raw,
            arrayStringConcat(groupUniqArray(part_type), '+') AS format
     FROM system.parts
     WHERE database = currentDatabase() AND active AND table IN ('signins', 'signins_hourly', 'signins_by_user')
     GROUP BY table ORDER BY table`,
  );
  const projections = await store.query<{ disk: string; compressed: string; raw: string }>(
    `SELECT toString(sum(bytes_on_disk)) AS disk, toString(sum(data_compressed_bytes)) AS compressed,
            toString(sum(data_uncompressed_bytes)) AS raw
     FROM system.projection_parts
     WHERE database = currentDatabase() AND active AND table = 'signins' AND name = 'signins_by_ip'`,
  );
  for (const table of tables) {
    console.log(
      `disk      ${table.table}: ${count(Number(table.rows))} rows, ${mib(Number(table.disk))} on disk with its ` +
        `projections; columns ${mib(Number(table.raw))} → ${mib(Number(table.compressed))}, ` +
        `compression ${(Number(table.raw) / Number(table.compressed)).toFixed(1)}x, ${table.format} parts`,
    );
  }
  const projection = projections[0];
  if (projection) {
    console.log(
      `disk      signins_by_ip projection: ${mib(Number(projection.disk))} on disk, compression ` +
        `${(Number(projection.raw) / Number(projection.compressed)).toFixed(1)}x`,
    );
  }
  const columns = await store.query<{ name: string; compressed: string; raw: string }>(
    `SELECT name, toString(data_compressed_bytes) AS compressed, toString(data_uncompressed_bytes) AS raw
     FROM system.columns WHERE database = currentDatabase() AND table = 'signins'
     ORDER BY data_compressed_bytes DESC LIMIT 6`,
  );
  console.log(
    `disk      largest signins columns: ` +
      columns
        .map(
          (column) =>
            `${column.name} ${mib(Number(column.compressed))} (${(Number(column.raw) / Number(column.compressed)).toFixed(1)}x)`,
        )
        .join(', '),
  );
}

const dataDir = await mkdtemp(join(tmpdir(), 'nightjar-bench-signins-'));
const store = await createChdbStore({ path: dataDir });
try {
  console.log(
    `signin-history: ${count(rows)} sign-ins over 30 days, ${shape.tenants} tenants in ${shape.msps} MSPs, ` +
      `${shape.usersPerTenant} users per tenant (~${Math.round(rows / shape.tenants / shape.usersPerTenant)} sign-ins ` +
      `per user), chDB ${(await store.query<{ v: string }>('SELECT version() AS v'))[0]?.v ?? '?'} at ${dataDir}`,
  );
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
  await load(store);
  await printSizes(store);

  const params = await sampleParams(store);
  const floor = await measure(store, 'SELECT 1', [{}]);
  console.log(`query     floor (SELECT 1 round trip):    p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`);
  const from = clickhouseTime(Date.now() - 30 * 86_400_000);
  const histories = params.users.map((user) => ({ ...user, from }));
  const history = await measure(store, userHistory('signins_by_user'), histories);
  console.log(
    `query     user history 30 d:           p50 ${verdict(history.p50, 10)}, p99 ${verdict(history.p99, 50)}, ` +
      `${count(history.meanRows)} rows/query (signins_by_user, with ?tenant)`,
  );
  const anyTenant = await measure(store, userHistory('signins_by_user', false), histories);
  console.log(
    `query     user history, no tenant:     p50 ${ms(anyTenant.p50)}, p99 ${ms(anyTenant.p99)}, ` +
      `${count(anyTenant.meanRows)} rows/query (/v1/users/{upn}/signins without ?tenant)`,
  );
  const onSignins = await measure(store, userHistory('signins'), histories);
  console.log(
    `query     user history from signins:   p50 ${ms(onSignins.p50)}, p99 ${ms(onSignins.p99)}, ` +
      `${count(onSignins.meanRows)} rows/query (the same statement on signins, the read before migration 007)`,
  );
  for (const [label, ips] of [
    ['IP failures, spray addresses:', params.sprayIps],
    ['IP failures, random addresses:', params.anyIps],
  ] as const) {
    const result = await measure(store, IP_FAILURES, ips);
    console.log(
      `query     ${label.padEnd(31)}p50 ${ms(result.p50)}, p99 ${verdict(result.p99, 200)}, ` +
        `${count(result.meanRows)} rows/query`,
    );
  }
  for (const interval of ['24 HOUR', '7 DAY']) {
    const result = await measure(store, dashboard(interval), params.msps);
    console.log(
      `query     dashboard per MSP, ${interval.toLowerCase().padEnd(8)}       p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, ` +
        `${count(result.meanRows)} rows/query`,
    );
  }
  console.log(
    `memory    process RSS ${mib(process.memoryUsage().rss)} at the end, peak ${mib(process.resourceUsage().maxRSS * 1024)} ` +
      `(chDB runs in this process)`,
  );
  console.log(`runs      ${RUNS} timed runs per query after ${WARMUP} warm-up runs, one query at a time`);
} finally {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
}
