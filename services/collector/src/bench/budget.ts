/**
 * Polling 500 tenants within Microsoft's reporting budgets (5 requests per
 * 10 s per tenant, 122 per 10 s per app): the share of the app budget used,
 * the 429 rate and the poll-cycle length against the floor of
 * 500 tenants x 2 feeds / 12.2 requests per second = 82 s.
 * node src/bench/budget.ts [tenants] [seconds]
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createMemoryBus } from '@nightjar/bus/memory';
import { Secret, ThrottledError } from '@nightjar/core';
import {
  createGraphClient,
  createLocalBudget,
  createMicrosoftHttp,
  createTokenProvider,
  type MicrosoftHttp,
} from '@nightjar/m365';
import { createWorld, startSimulator } from '@nightjar/simulator';
import { createMemoryState } from '@nightjar/state/memory';
import { normalizeDirectoryAudit, normalizeSignIn } from '@nightjar/normalize';
import { createCollectorRole } from '../role.ts';
import { staticTenantDirectory } from '../tenants.ts';
import { windowedGraphFeed } from '../feeds/windowed-graph-feed.ts';

const tenants = Number(process.argv[2] ?? 500);
const seconds = Number(process.argv[3] ?? 200);
const world = createWorld({ seed: 5, tenants, days: 1, scenarios: 'none' });
for (const tenant of world.tenants()) world.setFeatures(tenant.id, { entraP1: true, consented: true });
const simulator = await startSimulator({ world, clockFactor: 1 });
const endpoints = { ...simulator.urls, caCertPem: simulator.caCertPem };
const inner = createMicrosoftHttp({ caCertPem: simulator.caCertPem });
let reportingRequests = 0;
let throttled = 0;
const http: MicrosoftHttp = {
  async send(url, init) {
    const reporting = url.includes('/auditLogs/');
    if (reporting) reportingRequests += 1;
    try {
      return await inner.send(url, init);
    } catch (error) {
      if (reporting && error instanceof ThrottledError) throttled += 1;
      throw error;
    }
  },
  close: () => inner.close(),
};
const graph = createGraphClient(endpoints, http, createTokenProvider(endpoints, http), createLocalBudget());
const feeds = [
  windowedGraphFeed({
    name: 'signins',
    graph,
    path: 'auditLogs/signIns',
    version: 'v1.0',
    timeProperty: 'createdDateTime',
    source: 'graph.signIns',
    intervalMs: 1_000,
    backfillMs: 3_600_000,
    normalize: (record, tenant, now) => ({
      kind: 'sign-in',
      event: normalizeSignIn(record, {
        mspId: 'bench',
        tenantId: tenant.tenantId,
        source: 'graph.signIns',
        ingestTime: now,
      }),
    }),
  }),
  windowedGraphFeed({
    name: 'directory-audits',
    graph,
    path: 'auditLogs/directoryAudits',
    version: 'v1.0',
    timeProperty: 'activityDateTime',
    source: 'graph.directoryAudits',
    intervalMs: 1_000,
    backfillMs: 3_600_000,
    normalize: (record, tenant, now) => ({
      kind: 'directory-audit',
      event: normalizeDirectoryAudit(record, {
        mspId: 'bench',
        tenantId: tenant.tenantId,
        source: 'graph.directoryAudits',
        ingestTime: now,
      }),
    }),
  }),
];
const collector = createCollectorRole({
  bus: createMemoryBus(),
  state: createMemoryState(),
  directory: staticTenantDirectory(
    world.tenants().map((tenant) => ({
      mspId: 'bench',
      tenantId: tenant.id,
      credentials: {
        tenantId: tenant.id,
        clientId: tenant.credentials.clientId,
        clientSecret: new Secret(tenant.credentials.clientSecret),
      },
    })),
  ),
  feedsFor: () => feeds,
  naming: { prefix: 'bench.', partitions: 4 },
  clock: { now: () => simulator.context.clock.now() },
  log: pino({ level: 'error' }),
  metrics: new Registry(),
  concurrency: 64,
});
const began = Date.now();
await collector.start();
// A cycle ends when every tenant's two feeds have completed one more step than at its start.
const completed = () => collector.health.all().filter((feed) => feed.lastSuccess !== undefined).length;
const cycles: number[] = [];
let cycleStart = Date.now();
let stepsAtStart = 0;
let steps = 0;
const successTimes = new Map<string, number>();
while (Date.now() - began < seconds * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  for (const feed of collector.health.all()) {
    const key = `${feed.tenantId}/${feed.feed}`;
    if (feed.lastSuccess !== undefined && feed.lastSuccess !== successTimes.get(key)) {
      successTimes.set(key, feed.lastSuccess);
      steps += 1;
    }
  }
  if (steps - stepsAtStart >= tenants * 2) {
    cycles.push((Date.now() - cycleStart) / 1000);
    cycleStart = Date.now();
    stepsAtStart = steps;
  }
}
const elapsed = (Date.now() - began) / 1000;
await collector.stop();
await http.close();
await simulator.close();
const floor = (tenants * 2) / 12.2;
console.log(
  `${tenants} tenants, 2 reporting feeds each, ${elapsed.toFixed(0)} s; feeds with a success: ${completed()} of ${tenants * 2}`,
);
console.log(
  `reporting requests: ${reportingRequests} = ${(reportingRequests / elapsed).toFixed(2)}/s of the app budget's 12.2/s (${((reportingRequests / elapsed / 12.2) * 100).toFixed(0)}%)`,
);
console.log(`429 answers: ${throttled} (${((throttled / Math.max(1, reportingRequests)) * 100).toFixed(2)}%)`);
console.log(
  `poll cycles (every tenant's two feeds stepped once): ${cycles.map((cycle) => `${cycle.toFixed(0)} s`).join(', ') || 'none completed'}; floor ${floor.toFixed(0)} s`,
);
