/**
 * Sign-in throughput of the detection engine (ALL_RULES) with in-memory
 * state and with Redis, beside two references: the raw Avro decode rate of
 * the same events (the floor no detector can beat), and what Redis itself
 * serves on this machine (`redis-benchmark -P 16`) divided by the commands
 * the detector makes it run per event. Not a test: run it and read the figures.
 *
 *   set -a; source deploy/local/.run/env; set +a
 *   node packages/detections/src/bench/engine-bench.ts [events] [batch]
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { decodeEvent, encodeEvent } from '@nightjar/events';
import { redisUrl, uniqueName } from '@nightjar/testkit';
import type { StateStore } from '@nightjar/state';
import { createMemoryState } from '@nightjar/state/memory';
import { createRedisState } from '@nightjar/state/redis';
import { createDetectionEngine } from '../engine/engine.ts';
import { ALL_RULES } from '../rules/index.ts';
import { createMemorySettings } from '../settings.ts';
import { countingState } from './counting-state.ts';
import { signInWorkload } from './workload.ts';

const total = Number(process.argv[2] ?? 50_000);
const batchSize = Number(process.argv[3] ?? 1000);

/**
 * Redis commands each operation runs inside the batch script (EXECUTE_BATCH):
 * a window add is ZREMRANGEBYSCORE, ZADD, ZCOUNT, the ZCOUNT that looks for
 * later members, and PEXPIRE; a window record only ZREMRANGEBYSCORE, ZADD
 * and PEXPIRE; a counter is INCRBY (plus PEXPIRE when created); single calls
 * outside batches count as what they send.
 */
const REDIS_COMMANDS_PER_OPERATION: Record<string, number> = {
  windowAdd: 5,
  windowRecord: 3,
  windowRange: 1,
  get: 1,
  set: 1,
  delete: 1,
  increment: 1,
  keepFirst: 1,
  swap: 1,
  compareAndSet: 2,
  setIfAbsent: 1,
  distinctAdd: 3,
};

interface Measured {
  readonly eventsPerSecond: number;
  readonly redisCommandsPerEvent: number;
  /** CPU this process spent per event, all threads. */
  readonly cpuMicrosPerEvent: number;
}

/** CPU seconds the Redis server has used so far (user plus system), or undefined without redis-cli. */
function redisCpuSeconds(url: string): number | undefined {
  const run = spawnSync('redis-cli', ['-u', url, 'info', 'cpu'], { encoding: 'utf8' });
  const user = /used_cpu_user:([\d.]+)/.exec(run.stdout ?? '');
  const system = /used_cpu_sys:([\d.]+)/.exec(run.stdout ?? '');
  return user && system ? Number(user[1]) + Number(system[1]) : undefined;
}

function avroDecodeRate(): number {
  const encoded = signInWorkload(total).map((event) => encodeEvent({ kind: 'sign-in', event }).value);
  for (const message of encoded.slice(0, 2000)) decodeEvent(message);
  const started = performance.now();
  for (const message of encoded) decodeEvent(message);
  return total / ((performance.now() - started) / 1000);
}

/** GET throughput of `redis-benchmark -P 16` against the same server, or undefined without the tool. */
function redisBenchmarkGetsPerSecond(url: string): number | undefined {
  const { hostname, port } = new URL(url);
  const run = spawnSync(
    'redis-benchmark',
    ['-h', hostname, '-p', port || '6379', '-P', '16', '-n', '500000', '-t', 'get', '-q'],
    { encoding: 'utf8' },
  );
  const match = /GET: ([\d.]+) requests per second/.exec(run.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

const rate = (value: number): string => Math.round(value).toLocaleString('en-US').padStart(8);

async function measure(label: string, store: StateStore): Promise<Measured> {
  const counted = countingState(store);
  const engine = createDetectionEngine({ state: counted.state, settings: createMemorySettings(), rules: ALL_RULES });
  const events = signInWorkload(total);
  const warmup = signInWorkload(2000).map((event) => ({
    kind: 'sign-in' as const,
    event: { ...event, tenant_id: `warm-${event.tenant_id}` },
  }));
  await engine.processBatch(warmup);
  counted.counts.clear();
  const callsBefore = counted.calls();
  const cpuBefore = process.cpuUsage();
  let alerts = 0;
  let rejects = 0;
  const started = performance.now();
  for (let offset = 0; offset < events.length; offset += batchSize) {
    const batch = events.slice(offset, offset + batchSize).map((event) => ({ kind: 'sign-in' as const, event }));
    const result = await engine.processBatch(batch);
    alerts += result.alerts.length;
    rejects += result.rejects.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMicrosPerEvent = (cpu.user + cpu.system) / total;
  const perOperation = [...counted.counts].map(([name, count]) => `${name} ${(count / total).toFixed(2)}`).join(', ');
  const redisCommands = [...counted.counts].reduce(
    (sum, [name, count]) => sum + count * (REDIS_COMMANDS_PER_OPERATION[name] ?? 1),
    0,
  );
  console.log(
    `${label.padEnd(7)} ${Math.round(total / seconds)
      .toLocaleString('en-US')
      .padStart(8)} events/s  ` +
      `(${total} events in ${seconds.toFixed(2)} s, ${alerts} alert updates, ${rejects} rejects)  ` +
      `state operations/event ${(counted.total() / total).toFixed(2)} [${perOperation}], ` +
      `round trips/event ${((counted.calls() - callsBefore) / total).toFixed(3)}, ` +
      `CPU ${cpuMicrosPerEvent.toFixed(1)} µs/event`,
  );
  return { eventsPerSecond: total / seconds, redisCommandsPerEvent: redisCommands / total, cpuMicrosPerEvent };
}

console.log(`avro    ${rate(avroDecodeRate())} events/s  raw decode of the same sign-ins (floor)`);
await measure('memory', createMemoryState());
const redis = createRedisState({ url: redisUrl(), keyPrefix: `${uniqueName('nj-bench-engine')}:` });
try {
  const redisCpuBefore = redisCpuSeconds(redisUrl());
  const measured = await measure('redis', redis);
  const redisCpuAfter = redisCpuSeconds(redisUrl());
  if (redisCpuBefore !== undefined && redisCpuAfter !== undefined) {
    // Both sides of one event, in CPU: what a core budget allows whatever the scheduling.
    const redisMicros = ((redisCpuAfter - redisCpuBefore) * 1e6) / (total + 2000);
    const both = measured.cpuMicrosPerEvent + redisMicros;
    console.log(
      `cpu     detector ${measured.cpuMicrosPerEvent.toFixed(1)} + Redis server ${redisMicros.toFixed(1)} = ` +
        `${both.toFixed(1)} µs per event; 25,000 events/s needs ${((both * 25_000) / 1e6).toFixed(2)} cores ` +
        `(${availableParallelism()} here, Redis on at most one of them: ${Math.round(1e6 / redisMicros).toLocaleString('en-US')} events/s)`,
    );
  }
  const reference = redisBenchmarkGetsPerSecond(redisUrl());
  if (reference === undefined) {
    console.log('redis-benchmark not found: no Redis reference');
  } else {
    const quarter = reference / measured.redisCommandsPerEvent / 4;
    console.log(
      `redis-benchmark -P 16: ${rate(reference)} GET/s; / ${measured.redisCommandsPerEvent.toFixed(1)} Redis commands per event / 4 ` +
        `= ${rate(quarter)} events/s; detector with Redis at ${(measured.eventsPerSecond / quarter).toFixed(2)}x of that, ` +
        `target 25,000 events/s: ${(measured.eventsPerSecond / 25_000).toFixed(2)}x`,
    );
  }
} finally {
  await redis.close();
}
