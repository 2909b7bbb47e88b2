/**
 * Sign-in records per second the simulator serves on one core: every tenant's
 * v1.0 sign-ins paged to the end with $top=1000 over HTTPS by a client in a
 * child process, so the figure is the server's own CPU time, not the
 * client's parsing (throttling off: this measures the simulator, not
 * Microsoft's budgets). Not a test: run
 *   node src/server/bench.ts [tenants] [days]
 */
import { fork } from 'node:child_process';
import { createWorld } from '../world/world.ts';
import type { BenchPlan, BenchReport } from './bench-client.ts';
import { startSimulator } from './simulator.ts';

const tenants = Number(process.argv[2] ?? 20);
const days = Number(process.argv[3] ?? 30);
const world = createWorld({ seed: 7, tenants, days, scenarios: 'none' });
const simulator = await startSimulator({ world, clockFactor: 0, throttleScale: 0 });
// Tenants without Entra ID P1 have no sign-in logs to serve; some simulated apps lack consent.
const readable = world.tenants().filter((tenant) => tenant.features.entraP1 && tenant.features.consented);
const plan: BenchPlan = {
  authority: simulator.urls.authority,
  graph: simulator.urls.graph,
  caCertPem: simulator.caCertPem,
  rounds: 7,
  tenants: readable.map((tenant) => ({
    id: tenant.id,
    clientId: tenant.credentials.clientId,
    clientSecret: tenant.credentials.clientSecret,
  })),
};

const client = fork(new URL('./bench-client.ts', import.meta.url));
const rates: { cpu: number; wall: number }[] = [];
let records = 0;
let bytes = 0;
await new Promise<void>((resolve, reject) => {
  let cpuBefore = process.cpuUsage();
  let wallBefore = performance.now();
  client.on('error', reject);
  client.on('message', (message: BenchReport) => {
    if (message.kind === 'round-start') {
      cpuBefore = process.cpuUsage();
      wallBefore = performance.now();
    } else if (message.kind === 'round-end') {
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const wallSeconds = (performance.now() - wallBefore) / 1000;
      // Round 0 warms the JIT and the connection pool.
      if (message.round > 0) rates.push({ cpu: message.records / cpuSeconds, wall: message.records / wallSeconds });
      records = message.records;
      bytes = message.bytes;
    } else resolve();
  });
  client.send(plan);
});
client.kill();
await simulator.close();

const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `simulator: ${tenants} tenants x ${days} days, ${records} interactive sign-ins per pass, ${(bytes / 1e6).toFixed(1)} MB`,
);
console.log(
  `served ${Math.round(median(rates.map((rate) => rate.cpu)))} sign-in records per second of server CPU (one core; median of ${rates.length} passes)`,
);
console.log(
  `wall clock with the client in another process: ${Math.round(median(rates.map((rate) => rate.wall)))} records/s`,
);
