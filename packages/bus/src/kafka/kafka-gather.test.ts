import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName, waitFor } from '@nightjar/testkit';
import type { EventBus, MessageBatch } from '../port.ts';
import { createKafkaBus } from './index.ts';

describe('kafka subscription that gathers its fetches', () => {
  let bus: EventBus;

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-gather') });
  });
  afterAll(async () => {
    await bus.close();
  });

  it('hands over messages trickling in for a second in a few full batches, not one per arrival', async () => {
    const topic = uniqueName('gather');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const batches: MessageBatch[] = [];
    const subscription = await bus.subscribe({
      groupId: uniqueName('gather-group'),
      topics: [topic],
      gather: { bytes: 1_048_576, waitMs: 2_000 },
      handler: async (batch) => {
        batches.push(batch);
      },
    });
    try {
      await waitFor(() => (subscription.ready() ? true : undefined), 'the consumer to join', 30_000);
      for (let index = 0; index < 40; index++) {
        await bus.publish(topic, [{ key: 'k', value: Buffer.from(String(index)) }]);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await waitFor(
        () => (batches.flatMap((batch) => batch.messages).length === 40 ? true : undefined),
        'all 40 messages handled',
        30_000,
      );
    } finally {
      await subscription.stop();
    }
    const values = batches.flatMap((batch) => batch.messages.map((message) => Number(message.value.toString())));
    expect(values).toEqual(Array.from({ length: 40 }, (_, index) => index));
    // Forty arrivals over about a second: without gathering, nearly each is a batch of its own.
    expect(batches.length).toBeLessThanOrEqual(4);
  }, 60_000);
});
