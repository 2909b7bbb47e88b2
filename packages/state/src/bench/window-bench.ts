/**
 * Throughput and latency of windowAdd, the detector's hot path, against the
 * Redis and memory adapters. Not a test: run it by hand and read the figures.
 *
 *   node packages/state/src/bench/window-bench.ts [operations] [inFlight]
 */
import { performance } from 'node:perf_hooks';
import { redisUrl, uniqueName } from '@nightjar/testkit';
import type { StateStore } from '../port.ts';
import { createMemoryState } from '../memory/memory-state.ts';
import { createRedisState } from '../redis/redis-state.ts';

const operations = Number(process.argv[2] ?? 100_000);
const inFlight = Number(process.argv[3] ?? 64);
const WINDOWS = 1000;
const WINDOW_MS = 10 * 60_000;
const TTL_MS = 60 * 60_000;
const START = Date.UTC(2025, 0, 1);

interface Result {
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function run(store: StateStore, prefix: string): Promise<Result> {
  const latencies = new Float64Array(operations);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < operations) {
      const index = next++;
      // Spread events over many windows (one per user) with event time moving
      // forward, so members expire out of the window as they would live.
      const key = `${prefix}:w${index % WINDOWS}`;
      const started = performance.now();
      await store.windowAdd(key, `event-${index}`, START + index * 10, WINDOW_MS, TTL_MS);
      latencies[index] = performance.now() - started;
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedMs = performance.now() - started;
  latencies.sort();
  return {
    opsPerSecond: Math.round((operations / elapsedMs) * 1000),
    p50Ms: latencies[Math.floor(operations * 0.5)] ?? Number.NaN,
    p99Ms: latencies[Math.floor(operations * 0.99)] ?? Number.NaN,
  };
}

async function bench(name: string, store: StateStore): Promise<void> {
  const prefix = uniqueName('bench-window');
  try {
    await run(store, `${prefix}-warmup`);
    const result = await run(store, prefix);
    console.log(
      `${name.padEnd(6)} ${operations} windowAdd, ${inFlight} in flight: ${result.opsPerSecond} ops/s, ` +
        `p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms`,
    );
    for (const run of [prefix, `${prefix}-warmup`]) {
      await Promise.all(Array.from({ length: WINDOWS }, (_, window) => store.delete(`${run}:w${window}`)));
    }
  } finally {
    await store.close();
  }
}

await bench('memory', createMemoryState());
await bench('redis', createRedisState({ url: redisUrl() }));
