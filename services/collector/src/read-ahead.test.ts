import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventBus } from '@nightjar/bus';
import { createMemoryBus } from '@nightjar/bus/memory';
import { Secret } from '@nightjar/core';
import type { DeadLetter } from '@nightjar/events';
import type { Feed, FeedStep } from './feeds/feed.ts';
import { CollectorHealth } from './health.ts';
import { CheckpointStore, CollectorOutput } from './output.ts';
import { collectorTopics } from './topics.ts';
import { CollectorScheduler } from './scheduler.ts';
import type { CollectorTenant } from './tenants.ts';

const naming = { prefix: 'scheduler-test.', partitions: 1 };

function tenant(id: string): CollectorTenant {
  return { mspId: 'msp', tenantId: id, credentials: { tenantId: id, clientId: 'c', clientSecret: new Secret('s') } };
}

/** A feed that records when its steps read, and is caught up after one step. */
function feed(reads: string[]): Feed<number> {
  return {
    name: 'signins',
    api: 'reporting',
    intervalMs: 3_600_000,
    async step(owner, checkpoint): Promise<FeedStep<number>> {
      reads.push(owner.tenantId);
      return { events: [], rejects: [], checkpoint: (checkpoint ?? 0) + 1, caughtUp: true };
    },
  };
}

/** The memory bus, with transactions that wait until the test lets them through. */
function gatedBus(): { bus: EventBus; open(): void } {
  const inner = createMemoryBus();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    bus: {
      ...inner,
      publishAtomically: async (entries) => {
        await gate;
        await inner.publishAtomically(entries);
      },
    },
    open: () => open(),
  };
}

describe('reading ahead of commits', () => {
  it('lets another step read while a step that has read waits for its commit', async () => {
    const { bus, open } = gatedBus();
    await bus.ensureTopics(collectorTopics(naming));
    const reads: string[] = [];
    const scheduler = new CollectorScheduler({
      feedsFor: () => [feed(reads)],
      ownedTenants: async () => [tenant('a'), tenant('b'), tenant('c')],
      output: new CollectorOutput(bus, naming),
      checkpoints: await CheckpointStore.load(bus, naming),
      health: new CollectorHealth(new Registry(), { now: () => Date.now() }),
      clock: { now: () => Date.now() },
      log: pino({ level: 'silent' }),
      concurrency: 1,
    });
    scheduler.start();
    // One reading place: every tenant's step reads although none has committed yet.
    await expect.poll(() => [...reads].sort(), { timeout: 2_000 }).toEqual(['a', 'b', 'c']);
    expect(scheduler.jobs().every((job) => job.running)).toBe(true);
    open();
    await expect.poll(() => scheduler.jobs().some((job) => job.running), { timeout: 2_000 }).toBe(false);
    await scheduler.stop();
    expect(reads).toHaveLength(3);
  });

  it('reports a backlog once the steps waiting for the next transaction fill it', async () => {
    const { bus, open } = gatedBus();
    await bus.ensureTopics(collectorTopics(naming));
    const output = new CollectorOutput(bus, naming);
    const reject = (n: number): DeadLetter => ({
      msp_id: 'msp',
      tenant_id: 'a',
      source: 'test',
      stage: 'collector',
      reason: 'test',
      time: n,
      payload: '{}',
      location: null,
    });
    // The first step goes into a transaction at once (held at the gate); the next ones queue behind it.
    const first = output.commit('a/feed', { events: [], rejects: [reject(0)] }, 1);
    const second = output.commit(
      'b/feed',
      { events: [], rejects: Array.from({ length: 10_000 }, (_, n) => reject(n)) },
      1,
    );
    expect(output.backlogged).toBe(false);
    const third = output.commit(
      'c/feed',
      { events: [], rejects: Array.from({ length: 10_000 }, (_, n) => reject(n)) },
      1,
    );
    expect(output.backlogged).toBe(true);
    open();
    await Promise.all([first, second, third]);
    expect(output.backlogged).toBe(false);
  });
});
