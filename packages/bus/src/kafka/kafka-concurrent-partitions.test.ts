import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName, waitFor } from '@nightjar/testkit';
import type { EventBus } from '../port.ts';
import { createKafkaBus } from './index.ts';

describe('kafka subscription with concurrent partitions', () => {
  let bus: EventBus;

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-concurrent') });
  });
  afterAll(async () => {
    await bus.close();
  });

  it('handles batches of several partitions at once and keeps each partition in order', async () => {
    const topic = uniqueName('concurrent');
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const messages = Array.from({ length: 90 }, (_, index) => ({
      key: `key-${index % 9}`,
      value: Buffer.from(String(index)),
    }));
    await bus.publish(topic, messages);
    let inHandler = 0;
    let mostAtOnce = 0;
    const seen = new Map<number, number[]>();
    const subscription = await bus.subscribe({
      groupId: uniqueName('concurrent-group'),
      topics: [topic],
      maxBatchSize: 10,
      concurrentPartitions: 3,
      handler: async (batch) => {
        inHandler += 1;
        mostAtOnce = Math.max(mostAtOnce, inHandler);
        await new Promise((resolve) => setTimeout(resolve, 150));
        const order = seen.get(batch.partition) ?? [];
        for (const message of batch.messages) order.push(Number(message.value.toString()));
        seen.set(batch.partition, order);
        inHandler -= 1;
      },
    });
    try {
      await waitFor(
        () => ([...seen.values()].flat().length === 90 ? true : undefined),
        'all 90 messages handled',
        30_000,
      );
    } finally {
      await subscription.stop();
    }
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(seen.size).toBe(3);
    // The producer keeps each key's order on its partition, so every partition's sequence rises.
    for (const order of seen.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
  }, 45_000);
});
