/**
 * Collector throughput: sign-ins from the simulator (throttling off) through
 * the collector into Kafka, in events per second, beside the floor of
 * fetching and JSON.parse over the same pages. Needs the local Kafka
 * (deploy/local/infra.sh up).
 *
 * The simulator runs in a child process, as Microsoft is elsewhere in
 * production: its page building, JSON and TLS are not the collector's cost,
 * and both figures (floor and collector) are measured against it the same
 * way. `--same-process` serves from this process instead, as the first
 * version of this benchmark did: both figures then include the simulator.
 *
 * node src/bench/throughput.ts [tenants] [days] [--same-process]
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { Secret } from '@nightjar/core';
import { createMicrosoftClients, createMicrosoftHttp, UNLIMITED } from '@nightjar/m365';
import { createMemoryState } from '@nightjar/state/memory';
import { feedCatalog } from '../feeds/catalog.ts';
import { createCollectorRole } from '../role.ts';
import { staticTenantDirectory } from '../tenants.ts';
import { startCloud, startCloudProcess } from './simulated-cloud.ts';

const [tenantsArg, daysArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const tenants = Number(tenantsArg ?? 20);
const days = Number(daysArg ?? 21);
const sameProcess = process.argv.includes('--same-process');
const brokers = (process.env['NIGHTJAR_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const plan = { seed: 9, tenants, days };
const cloud = sameProcess ? await startCloud(plan) : await startCloudProcess(plan);
const endpoints = { ...cloud.urls, caCertPem: cloud.caCertPem };
const http = createMicrosoftHttp({ caCertPem: cloud.caCertPem });
const clients = createMicrosoftClients(endpoints, http, UNLIMITED, cloud.partnerTenantId);
const catalog = feedCatalog(clients, { pollIntervalMs: 3_600_000, backfillMs: days * 86_400_000 });
const signInFeeds = (tenant: Parameters<typeof catalog>[0]) =>
  catalog(tenant).filter((feed) => feed.name.startsWith('signins'));
const total = cloud.signIns;
const credentialsOf = (tenant: (typeof cloud.tenants)[number]) => ({
  tenantId: tenant.id,
  clientId: tenant.clientId,
  clientSecret: new Secret(tenant.clientSecret),
});

// Floor: the same pages fetched and parsed, nothing else.
const floorStart = process.hrtime.bigint();
let parsed = 0;
for (const tenant of cloud.tenants) {
  for (const query of [
    { path: 'auditLogs/signIns', params: { $top: '1000' } },
    {
      path: 'auditLogs/signIns',
      version: 'beta' as const,
      params: { $top: '1000', $filter: "signInEventTypes/any(t: t eq 'nonInteractiveUser')" },
    },
  ]) {
    for await (const page of clients.graph.pages(credentialsOf(tenant), query)) parsed += page.items.length;
  }
}
const floorSeconds = Number(process.hrtime.bigint() - floorStart) / 1e9;

const bus = createKafkaBus({ brokers, clientId: `bench-${process.pid}` });
const prefix = `bench-${process.pid}-${Date.now()}.`;
const collector = createCollectorRole({
  bus,
  state: createMemoryState(),
  directory: staticTenantDirectory(
    cloud.tenants.map((tenant) => ({ mspId: 'bench', tenantId: tenant.id, credentials: credentialsOf(tenant) })),
  ),
  feedsFor: signInFeeds,
  naming: { prefix, partitions: 6 },
  clock: { now: () => cloud.now },
  log: pino({ level: 'warn' }),
  metrics: new Registry(),
  concurrency: 16,
});
const began = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const mainBefore = process.threadCpuUsage();
await collector.start();
const published = (): number => collector.health.all().reduce((sum, feed) => sum + feed.eventsPublished, 0);
const deadline = Date.now() + 300_000;
while (published() < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
if (published() < total) console.log(`only ${published()} of ${total} published within the deadline`);
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const main = process.threadCpuUsage(mainBefore);
await collector.stop();
await bus.close();
await http.close();
await cloud.close();

const floor = parsed / floorSeconds;
console.log(
  `collector: ${tenants} tenants x ${days} days, ${total} sign-ins (interactive and non-interactive); simulator in ${sameProcess ? 'this process' : 'a child process'}`,
);
console.log(`floor (fetch + JSON.parse of the same pages): ${Math.round(floor)} records/s`);
console.log(
  `collector into Kafka (normalize, Avro, transactions with checkpoints): ${Math.round(total / seconds)} events/s = ${(total / seconds / floor).toFixed(2)}x the floor`,
);
// CPU time is less sensitive than wall time to whatever else the machine runs.
const perEvent = (usage: NodeJS.CpuUsage): number => Math.round((usage.user + usage.system) / total);
console.log(
  `collector process CPU: ${perEvent(cpu)} µs per event, ${perEvent(main)} of them on the main thread (${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores busy on average)`,
);
