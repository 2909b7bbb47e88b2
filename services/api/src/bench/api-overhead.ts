/**
 * The API's time against the engine's for the same SQL: a user's 30-day
 * history (with and without its tenant) and a cross-tenant IP failure search, through Fastify (auth, zod
 * validation, MSP binding, serialisation) and, for each request, the time
 * the store itself spent on the statement the route ran.
 * node src/bench/api-overhead.ts [rows] [tenants]   (defaults 2,000,000 and 100)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { MIGRATIONS_DIR } from '@nightjar/sink';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { ApiKeys } from '../api-keys.ts';
import { buildApi } from '../app.ts';

const rows = Number(process.argv[2] ?? 2_000_000);
const tenants = Number(process.argv[3] ?? 100);
const usersPerTenant = Math.max(1, Math.round(rows / tenants / 300));
const RUNS = 200;
const WARMUP = 20;

const dir = mkdtempSync(join(tmpdir(), 'nightjar-api-bench-'));
const engine = await createChdbStore({ path: dir });
await migrate(engine, await loadMigrations(MIGRATIONS_DIR));

// Sign-ins of one MSP over 30 days, generated inside the engine; 15% failures, a shared pool of IPs.
const loading = performance.now();
for (let start = 0; start < rows; start += 1_000_000) {
  const count = Math.min(1_000_000, rows - start);
  await engine.command(`
    INSERT INTO signins (msp_id, tenant_id, source, event_id, time, ingest_time, user_uid, user_name, is_interactive,
      status, status_code, app_name, src_ip, src_country, src_city, client_app, is_legacy_auth, device_os,
      risk_level_during, risk_level_aggregated, risk_event_types, conditional_access_status, raw)
    SELECT 'msp-bench', concat('tenant-', toString(n % ${tenants})), 'graph.signIns.interactive',
      toString(generateUUIDv4(n)), now64(3) - toIntervalMillisecond(cityHash64(n, 1) % (30 * 86400000)), now64(3),
      concat('uid-', toString(n % ${tenants}), '-', toString(intDiv(n, ${tenants}) % ${usersPerTenant})),
      concat('user', toString(intDiv(n, ${tenants}) % ${usersPerTenant}), '@tenant-', toString(n % ${tenants}), '.example'),
      true, if(cityHash64(n, 2) % 100 < 15, 'failure', 'success'), if(cityHash64(n, 2) % 100 < 15, 50126, 0),
      'Office 365 Exchange Online', IPv4NumToString(toUInt32(3325256704 + cityHash64(n, 3) % 2000)),
      ['NL', 'DE', 'US', 'GB', 'FR'][1 + cityHash64(n, 4) % 5], 'Amsterdam', 'Browser', false, 'Windows',
      'none', 'none', [], 'notApplied', '{}'
    FROM (SELECT number + ${start} AS n FROM numbers(${count}))`);
}
await engine.command('OPTIMIZE TABLE signins FINAL');
await engine.command('OPTIMIZE TABLE signins_by_user FINAL');
const loadSeconds = (performance.now() - loading) / 1000;

/** The engine as the API sees it, timing each statement the routes run. */
let engineMs = 0;
const timed: HistoryStore = {
  ...engine,
  kind: engine.kind,
  query: async (sql, params) => {
    const began = performance.now();
    try {
      return await engine.query(sql, params);
    } finally {
      engineMs += performance.now() - began;
    }
  },
};
const app = await buildApi({ store: timed, log: pino({ level: 'silent' }), rateLimitPerMinute: 1_000_000 });
const key = (await new ApiKeys(engine, undefined).issue('msp-bench', 'analyst', 'bench')).key;

async function measure(url: () => string): Promise<{ api: number[]; engine: number[] }> {
  const api: number[] = [];
  const inEngine: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    engineMs = 0;
    const began = performance.now();
    const response = await app.inject({ method: 'GET', url: url(), headers: { authorization: `Bearer ${key}` } });
    const took = performance.now() - began;
    if (response.statusCode !== 200) throw new Error(`${url()} answered ${response.statusCode}: ${response.body}`);
    if (run >= WARMUP) {
      api.push(took);
      inEngine.push(engineMs);
    }
  }
  return { api, engine: inEngine };
}

const random = (below: number): number => Math.floor(Math.random() * below);
const history = await measure(() => {
  const tenant = random(tenants);
  return `/v1/users/user${random(usersPerTenant)}@tenant-${tenant}.example/signins?limit=500&tenant=tenant-${tenant}`;
});
const historyAnyTenant = await measure(
  () => `/v1/users/user${random(usersPerTenant)}@tenant-${random(tenants)}.example/signins?limit=500`,
);
const ipSearch = await measure(
  () => `/v1/signins?ip=198.51.${100 + Math.floor(random(2000) / 256)}.${random(256)}&status=failure&limit=500`,
);

const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const line = (name: string, result: { api: number[]; engine: number[] }): string => {
  const [apiP50, apiP99] = [percentile(result.api, 50), percentile(result.api, 99)];
  const [engineP50, engineP99] = [percentile(result.engine, 50), percentile(result.engine, 99)];
  return (
    `${name}: engine p50 ${engineP50.toFixed(1)} ms, p99 ${engineP99.toFixed(1)} ms | ` +
    `API p50 ${apiP50.toFixed(1)} ms, p99 ${apiP99.toFixed(1)} ms | API/engine at p50 ${(apiP50 / engineP50).toFixed(2)}x (target <= 2x)`
  );
};
console.log(
  `api-overhead: ${rows.toLocaleString('en')} sign-ins, ${tenants} tenants, ${usersPerTenant} users each, loaded in ${loadSeconds.toFixed(1)} s`,
);
console.log(line('user history 30 d   ', history));
console.log(line('  without ?tenant   ', historyAnyTenant));
console.log(line('IP failures, 30 d   ', ipSearch));
await app.close();
await engine.close();
rmSync(dir, { recursive: true, force: true });
