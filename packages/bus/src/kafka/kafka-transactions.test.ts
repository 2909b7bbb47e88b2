import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName, waitFor } from '@nightjar/testkit';
import type { EventBus, OutgoingMessage } from '../port.ts';
import { createKafkaBus } from './index.ts';

describe('kafka transactions', () => {
  let bus: EventBus;
  let admin: Admin;

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-transactions') });
    admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await bus.close();
    await admin.disconnect();
  });

  // Random bodies: batches are compressed, and only incompressible records keep their size on the wire.
  const numbered = (count: number, bytes: number, keys: number): OutgoingMessage[] =>
    Array.from({ length: count }, (_, seq) => ({
      key: `tenant/${seq % keys}`,
      value: Buffer.concat([Buffer.from(`${seq}:`), randomBytes(bytes)]),
    }));
  const seq = (message: { value: Buffer }): number => Number(message.value.toString().split(':')[0]);

  it('commits a transaction larger than the broker takes for one partition in one request', async () => {
    // 1.5 MB on one partition, 7.5 MB over six: one record batch of either would exceed max.message.bytes (1 MiB).
    const [single, spread] = [uniqueName('tx-single'), uniqueName('tx-spread')];
    await bus.ensureTopics([
      { name: single, partitions: 1 },
      { name: spread, partitions: 6 },
    ]);
    await bus.publishAtomically([
      { topic: single, messages: numbered(600, 2_500, 7) },
      { topic: spread, messages: numbered(3_000, 2_500, 50) },
    ]);
    const read = await bus.readTopic(single);
    expect(read.map(seq)).toEqual([...Array(600).keys()]);
    const spreadRead = await bus.readTopic(spread);
    expect(spreadRead).toHaveLength(3_000);
    for (const key of ['tenant/0', 'tenant/13', 'tenant/49']) {
      const ofKey = spreadRead.filter((message) => message.key === key).map(seq);
      expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
    }
  });

  it('reports no lag once a consumer has read up to the transaction markers', async () => {
    const topic = uniqueName('tx-lag');
    await bus.ensureTopics([{ name: topic, partitions: 2 }]);
    await bus.publishAtomically([{ topic, messages: numbered(20, 10, 5) }]);
    await bus.publishAtomically([{ topic, messages: numbered(20, 10, 5) }]);
    let handled = 0;
    const subscription = await bus.subscribe({
      groupId: uniqueName('tx-lag-group'),
      topics: [topic],
      handler: async (batch) => {
        handled += batch.messages.length;
      },
    });
    try {
      const behind = (): number => subscription.lag().reduce((sum, partition) => sum + partition.messages, 0);
      await waitFor(
        () => (handled === 40 && behind() === 0 ? true : undefined),
        'every message handled and no lag',
      ).catch((error: Error) => {
        throw new Error(`${error.message}: handled ${handled}, lag ${JSON.stringify(subscription.lag())}`);
      });
    } finally {
      await subscription.stop();
    }
  });

  it('publishes again after the broker refused part of a transaction', async () => {
    const [events, strict] = [uniqueName('tx-events'), uniqueName('tx-strict')];
    await bus.ensureTopics([{ name: events, partitions: 3 }]);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: strict, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }],
    });
    await bus.publishAtomically([{ topic: events, messages: numbered(30, 10, 30) }]);
    // The events' partitions take their records, the strict topic refuses its one: the transaction aborts.
    await expect(
      bus.publishAtomically([
        { topic: events, messages: numbered(30, 10, 30) },
        { topic: strict, messages: numbered(1, 5_000, 1) },
      ]),
    ).rejects.toThrow(/larger than the max message size/);
    await bus.publishAtomically([{ topic: events, messages: numbered(30, 10, 30) }]);
    expect(await bus.readTopic(events)).toHaveLength(60);
    expect(await bus.readTopic(strict)).toHaveLength(0);
  });
});
