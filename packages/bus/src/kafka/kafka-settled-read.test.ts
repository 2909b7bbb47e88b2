import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { assertReachable, kafkaBrokers, parseHostPort, uniqueName } from '@nightjar/testkit';
import type { EventBus } from '../port.ts';
import { createKafkaBus } from './index.ts';

/**
 * A process killed inside a transaction leaves it open; read-committed
 * fetches stop in front of it, hiding everything committed after it.
 * These tests leave such a transaction behind on purpose.
 */
describe('kafka settled read', () => {
  const kafka = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const opened: (EventBus | Producer)[] = [];

  beforeAll(async () => {
    await assertReachable('Kafka', parseHostPort(kafkaBrokers()[0]!));
  });
  afterAll(async () => {
    for (const client of opened) {
      await ('close' in client ? client.close() : client.disconnect()).catch(() => undefined);
    }
  });

  function bus(transactionalId?: string): EventBus {
    const created = createKafkaBus({
      brokers: kafkaBrokers(),
      clientId: uniqueName('settled'),
      ...(transactionalId ? { transactionalId } : {}),
    });
    opened.push(created);
    return created;
  }

  /** Opens a transaction, writes into it and walks away, as a SIGKILL would. */
  async function abandonTransaction(topic: string, transactionalId: string, timeoutMs: number): Promise<void> {
    const zombie = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: timeoutMs,
    });
    opened.push(zombie);
    await zombie.connect();
    const transaction = await zombie.transaction();
    await transaction.send({ topic, messages: [{ key: 'tenant-a', value: 'never-committed' }] });
  }

  async function compactedTopic(writer: EventBus): Promise<string> {
    const topic = uniqueName('checkpoints');
    await writer.ensureTopics([{ name: topic, partitions: 2, compacted: true }]);
    return topic;
  }

  const values = (messages: readonly { value: Buffer }[]) => messages.map((message) => message.value.toString());

  it('waits out a transaction another producer left open and returns what committed after it', async () => {
    const writer = bus();
    const topic = await compactedTopic(writer);
    await writer.publishAtomically([{ topic, messages: [{ key: 'tenant-a', value: Buffer.from('first') }] }]);
    await abandonTransaction(topic, uniqueName('killed'), 4_000);
    await writer.publishAtomically([{ topic, messages: [{ key: 'tenant-a', value: Buffer.from('second') }] }]);

    const read = await bus().readTopic(topic, { settled: true });

    expect(values(read)).toEqual(expect.arrayContaining(['first', 'second']));
    expect(values(read)).not.toContain('never-committed');
    expect(read.every((message) => message.key === 'tenant-a')).toBe(true);
  }, 40_000);

  it('fences a predecessor with the same transactional id at once instead of waiting for its timeout', async () => {
    const writer = bus();
    const topic = await compactedTopic(writer);
    const podIdentity = uniqueName('collector-0');
    // Left open for far longer than this test may run: only fencing ends it in time.
    await abandonTransaction(topic, podIdentity, 120_000);
    await writer.publishAtomically([{ topic, messages: [{ key: 'tenant-a', value: Buffer.from('committed') }] }]);

    const restarted = bus(podIdentity);
    const read = await restarted.readTopic(topic, { settled: true });

    expect(values(read)).toEqual(['committed']);
    await restarted.publishAtomically([{ topic, messages: [{ key: 'tenant-a', value: Buffer.from('next') }] }]);
    expect(values(await restarted.readTopic(topic, { settled: true }))).toEqual(['committed', 'next']);
  }, 30_000);

  it('leaves barrier records out of every read, settled or not', async () => {
    const writer = bus();
    const topic = await compactedTopic(writer);
    await writer.publishAtomically([{ topic, messages: [{ key: 'tenant-b', value: Buffer.from('only') }] }]);
    await writer.readTopic(topic, { settled: true });
    expect(values(await writer.readTopic(topic))).toEqual(['only']);
    expect(values(await writer.readTopic(topic, { settled: true }))).toEqual(['only']);
  }, 30_000);
});
