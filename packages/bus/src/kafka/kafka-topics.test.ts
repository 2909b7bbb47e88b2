import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { DependencyUnavailableError } from '@nightjar/core';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName } from '@nightjar/testkit';
import type { EventBus } from '../port.ts';
import { createKafkaBus } from './index.ts';

describe('kafka topics', () => {
  let bus: EventBus;
  let admin: Admin;

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
    bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('bus-topics') });
    admin = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });
  afterAll(async () => {
    await bus.close();
    await admin.disconnect();
  });

  async function configOf(topic: string): Promise<Record<string, string>> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic }],
    });
    return Object.fromEntries(resources[0]!.configEntries.map((entry) => [entry.configName, entry.configValue]));
  }

  it('creates missing topics with their partitions, retention and compaction, and leaves existing ones alone', async () => {
    const events = uniqueName('topics-events');
    const checkpoints = uniqueName('topics-checkpoints');
    await bus.ensureTopics([
      { name: events, partitions: 6, retentionMs: 3_600_000 },
      { name: checkpoints, partitions: 1, compacted: true },
    ]);
    // A second call with different specs neither fails nor changes what exists.
    await bus.ensureTopics([{ name: events, partitions: 2, retentionMs: 60_000 }]);

    const { topics } = await admin.fetchTopicMetadata({ topics: [events, checkpoints] });
    const partitions = Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]));
    expect(partitions).toEqual({ [events]: 6, [checkpoints]: 1 });
    expect(await configOf(events)).toMatchObject({ 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
    expect(await configOf(checkpoints)).toMatchObject({ 'cleanup.policy': 'compact' });
  });
});

describe('kafka bus without a reachable broker', () => {
  const unreachable = (): EventBus =>
    createKafkaBus({ brokers: ['127.0.0.1:1'], clientId: uniqueName('bus-down'), connectionTimeoutMs: 5_000 });

  it.each([
    ['publish', (bus: EventBus) => bus.publish('nowhere', [{ key: 'k', value: Buffer.from('v') }])],
    ['ensureTopics', (bus: EventBus) => bus.ensureTopics([{ name: 'nowhere', partitions: 1 }])],
    [
      'publishAtomically',
      (bus: EventBus) =>
        bus.publishAtomically([{ topic: 'nowhere', messages: [{ key: 'k', value: Buffer.from('v') }] }]),
    ],
    [
      'subscribe',
      (bus: EventBus) => bus.subscribe({ groupId: 'nobody', topics: ['nowhere'], handler: async () => {} }),
    ],
  ])('%s rejects with DependencyUnavailableError naming the brokers', async (_name, call) => {
    const bus = unreachable();
    const started = Date.now();
    const error = await call(bus).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).code).toBe('NJ_KAFKA_UNAVAILABLE');
    expect((error as Error).message).toContain('127.0.0.1:1');
    await bus.close();
  });
});
