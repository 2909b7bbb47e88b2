import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@nightjar/core';
import { startOwnKafkaBroker, uniqueName, waitFor, type OwnKafkaBroker } from '@nightjar/testkit';
import type { EventBus } from '../port.ts';
import { createKafkaBus } from './index.ts';

let broker: OwnKafkaBroker;
let bus: EventBus;

beforeAll(async () => {
  broker = await startOwnKafkaBroker(mkdtempSync(join(tmpdir(), 'nightjar-bus-restart-')));
  bus = createKafkaBus({
    brokers: broker.brokers,
    clientId: uniqueName('bus-restart'),
    transactionalId: uniqueName('tx'),
  });
}, 120_000);
afterAll(async () => {
  await bus?.close();
  await broker?.stop();
});

describe('a transactional publisher and a consumer while their broker restarts', () => {
  it('fail or finish every transaction in bounded time, and publish and consume again once the broker is back', async () => {
    const topic = uniqueName('restart');
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const consumed = new Set<number>();
    const subscription = await bus.subscribe({
      groupId: uniqueName('restart-group'),
      topics: [topic],
      handler: async (batch) => {
        for (const message of batch.messages) consumed.add(Number(message.value.toString()));
      },
    });
    const outcomes: { ok: boolean; ms: number; at: number; error?: string; unavailable?: boolean }[] = [];
    let stop = false;
    let sequence = 0;
    const published: number[] = [];
    const writer = (async () => {
      while (!stop) {
        const started = Date.now();
        const batch = Array.from({ length: 20 }, () => sequence++);
        try {
          await bus.publishAtomically([
            { topic, messages: batch.map((n) => ({ key: `k${n % 7}`, value: Buffer.from(String(n)) })) },
          ]);
          published.push(...batch);
          outcomes.push({ ok: true, ms: Date.now() - started, at: started });
        } catch (error) {
          outcomes.push({
            ok: false,
            ms: Date.now() - started,
            at: started,
            error: (error as Error).message,
            // What callers retry soon (a collector step), as opposed to a refusal they park.
            unavailable: error instanceof DependencyUnavailableError,
          });
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const restartedAt = Date.now();
    await broker.restart();
    const backAt = Date.now();
    // The publisher must commit transactions begun after the broker came back.
    await waitFor(
      () => (outcomes.filter((outcome) => outcome.ok && outcome.at > backAt).length >= 3 ? true : undefined),
      'transactions committed after the restart',
      60_000,
    ).catch(() => undefined);
    stop = true;
    await writer;
    const context = JSON.stringify(outcomes.filter((outcome) => !outcome.ok || outcome.ms > 5_000).slice(0, 10));
    expect(
      outcomes.filter((outcome) => !outcome.ok && !outcome.unavailable),
      'failures that do not say the broker is away',
    ).toEqual([]);
    const longest = Math.max(...outcomes.map((outcome) => outcome.ms));
    expect(longest, `longest publish ${longest} ms: ${context}`).toBeLessThan(40_000);
    expect(
      outcomes.some((outcome) => outcome.ok && outcome.at > backAt),
      `a transaction committed after the broker came back (restart took ${backAt - restartedAt} ms): ${context}`,
    ).toBe(true);
    const read = (await bus.readTopic(topic)).map((message) => Number(message.value.toString()));
    expect(read.filter((n) => published.includes(n)).length).toBe(published.length);
    try {
      await waitFor(
        () => (published.every((n) => consumed.has(n)) ? true : undefined),
        'the consumer to read every committed message',
        60_000,
      );
    } finally {
      await subscription.stop();
    }
  }, 180_000);
});
