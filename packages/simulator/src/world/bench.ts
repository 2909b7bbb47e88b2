/**
 * How fast the world generates and hands out records. Not a test: run
 *   node packages/simulator/src/world/bench.ts [tenants] [days]
 * and read the figures.
 */
import { createWorld } from './world.ts';
import { servedRecords } from './records.ts';

const tenants = Number(process.argv[2] ?? 20);
const days = Number(process.argv[3] ?? 30);

const started = performance.now();
const world = createWorld({ seed: 7, tenants, days, scenarios: 'all' });
const built = performance.now() - started;
const records = servedRecords(world);
const total = Object.values(records).reduce<number>((n, list: readonly unknown[]) => n + list.length, 0);

const ids = world.tenants().map((t) => t.id);
const serveStarted = performance.now();
let served = 0;
let bytes = 0;
for (const id of ids) {
  for (const kind of ['interactive', 'nonInteractive'] as const) {
    const all = world.signIns(id, kind);
    for (let page = 0; page < all.length; page += 1000) {
      bytes += JSON.stringify({ value: all.slice(page, page + 1000) }).length;
      served += Math.min(1000, all.length - page);
    }
  }
}
const serveMs = performance.now() - serveStarted;

const line = (label: string, value: string): void => {
  process.stdout.write(`${label.padEnd(34)} ${value}\n`);
};
line('tenants x days', `${tenants} x ${days}`);
line('records generated', `${total} (${records.signIns.length} sign-ins, ${records.auditRecords.length} audit)`);
line('generation time', `${(built / 1000).toFixed(2)} s`);
line('records generated per second', Math.round((total / built) * 1000).toLocaleString('en-US'));
line(
  'sign-ins serialised per second',
  `${Math.round((served / serveMs) * 1000).toLocaleString('en-US')} (${(bytes / 1e6).toFixed(0)} MB of JSON)`,
);
line('heap used', `${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
