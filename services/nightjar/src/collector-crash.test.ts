import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { decodeEvent } from '@nightjar/events';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';
import { kafkaBrokers, redisUrl, uniqueName, waitFor } from '@nightjar/testkit';
import { startNightjar, type NightjarProcess } from './testing/nightjar-process.ts';
import { simulatedTenantsSettings, withoutNightjarSettings } from './testing/simulated-tenants.ts';
import { worldSignIns } from './testing/world-sign-ins.ts';
const DAY_MS = 24 * 3_600_000;

let world: World;
let simulator: RunningSimulator;
let bus: EventBus;
let env: NodeJS.ProcessEnv;
let prefix: string;

beforeAll(async () => {
  // History that ends now and stands still, so the collector's wall clock and the simulator agree.
  world = createWorld({ seed: 31, tenants: 2, days: 2, startAt: Date.now(), scenarios: 'none' });
  for (const tenant of world.tenants()) world.setFeatures(tenant.id, { entraP1: true, consented: true });
  simulator = await startSimulator({ world, clockFactor: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'nightjar-crash-'));
  prefix = `${uniqueName('crash')}.`;
  env = {
    ...withoutNightjarSettings(),
    NIGHTJAR_MODE: 'distributed',
    NIGHTJAR_ROLES: 'collector',
    NIGHTJAR_STORE: 'chdb',
    NIGHTJAR_DATA_DIR: dir,
    NIGHTJAR_KAFKA_BROKERS: kafkaBrokers().join(','),
    NIGHTJAR_KAFKA_TOPIC_PREFIX: prefix,
    NIGHTJAR_KAFKA_PARTITIONS: '3',
    NIGHTJAR_REDIS_URL: redisUrl(),
    NIGHTJAR_REDIS_KEY_PREFIX: `${prefix}:`,
    NIGHTJAR_ADMIN_HOST: '127.0.0.1',
    NIGHTJAR_ADMIN_PORT: '0',
    NIGHTJAR_LOG_LEVEL: 'info',
    ...simulatedTenantsSettings(simulator, world, 'msp-crash', dir),
    NIGHTJAR_COLLECTOR_BACKFILL_DAYS: '2',
    NIGHTJAR_COLLECTOR_LEASE_MS: '3000',
  };
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('crash-reader') });
});
afterAll(async () => {
  await bus.close();
  await simulator.close();
});

/**
 * A collector in `pod`: a container restarted in the same pod fences its
 * dead predecessor's open transaction at once; one in another pod must wait
 * for that transaction to time out before it trusts the checkpoints.
 */
function collector(pod: string): NightjarProcess {
  return startNightjar(`collector in ${pod}`, { ...env, NIGHTJAR_KAFKA_TRANSACTIONAL_ID: pod });
}

/** Sign-ins this process has committed so far, from its own metrics. */
function publishedBy(running: NightjarProcess): Promise<number> {
  return running.metricSum(/^nightjar_collector_events_total\{feed="signins[^"]*"\} (\d+)/gm);
}

async function signInIds(): Promise<string[]> {
  try {
    const messages = await bus.readTopic(`${prefix}signins`);
    return messages.map((message) => {
      const decoded = decodeEvent(message.value);
      return decoded.kind === 'sign-in' ? decoded.event.event_id : '';
    });
  } catch {
    return [];
  }
}

describe('collector killed with SIGKILL during the backfill', () => {
  it('resumes from its checkpoints each time and leaves every sign-in in Kafka exactly once', async () => {
    const now = Date.now();
    const signIns = worldSignIns(world).map(({ record, kind, tenantId }) => ({
      id: String(record['id']),
      at: Date.parse(String(record['createdDateTime'])),
      label: `${kind} ${String(record['createdDateTime'])} in ${tenantId}`,
    }));
    // A feed's backfill reaches back from the moment a process first reads it without a checkpoint;
    // a process killed before committing one leaves the next to start a little later.
    const inWindowOf = (startedAt: number) =>
      new Set(signIns.filter(({ at }) => at >= startedAt - 2 * DAY_MS).map(({ id }) => id));
    const allowed = inWindowOf(now);
    expect(allowed.size).toBeGreaterThan(100);
    const killedWith: number[] = [];
    const podA = uniqueName('collector-a');
    const podB = uniqueName('collector-b');
    // A, A again (fences its predecessor), B (waits out A's open transaction), then B again for the rest.
    for (const pod of [podA, podA, podB]) {
      const running = collector(pod);
      // Killed as soon as it has committed something of its own: mid-backfill, between or during transactions.
      await waitFor(
        async () => ((await publishedBy(running)) > 0 ? true : undefined),
        'the collector to publish',
        90_000,
        100,
      ).catch((error: Error) => {
        running.child.kill('SIGKILL');
        throw new Error(`${error.message}\n${running.lastLines()}`);
      });
      running.child.kill('SIGKILL');
      await running.exited;
      killedWith.push((await signInIds()).length);
    }
    const expected = inWindowOf(Date.now());
    const last = collector(podB);
    let found = 0;
    try {
      await waitFor(
        async () => {
          const ids = new Set(await signInIds());
          found = [...expected].filter((id) => ids.has(id)).length;
          return found === expected.size ? true : undefined;
        },
        'every sign-in in Kafka',
        200_000,
        1_000,
      ).catch(async (error: Error) => {
        const published = await publishedBy(last).catch(() => 'unknown');
        const ids = new Set(await signInIds());
        const missing = signIns.filter(({ id }) => expected.has(id) && !ids.has(id)).map(({ label }) => label);
        throw new Error(
          `${error.message}: ${found} of ${expected.size} found, ${published} published by the last collector; ` +
            `missing (test began ${new Date(now).toISOString()}): ${missing.join(', ')}\n${last.lastLines()}`,
        );
      });
    } finally {
      await last.stop();
    }
    const ids = await signInIds();
    expect(
      killedWith.some((count) => count > 0 && count < expected.size),
      `kills landed mid-backfill: ${killedWith.join(', ')}`,
    ).toBe(true);
    expect(ids.length).toBe(new Set(ids).size);
    const collected = new Set(ids);
    expect([...expected].filter((id) => !collected.has(id))).toEqual([]);
    expect(ids.filter((id) => !allowed.has(id))).toEqual([]);
  }, 420_000);
});
