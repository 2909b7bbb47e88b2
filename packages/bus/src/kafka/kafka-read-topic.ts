import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { BARRIER_KEY, type BusMessage } from '../port.ts';

export interface ReadToEndOptions {
  /** Quiet time after which a partition counts as read (transaction markers hide the last offsets). */
  readonly idleMs?: number;
  /**
   * Writes a barrier record to every partition and reads until each barrier
   * is seen. A read-committed fetch stops at the first transaction still
   * open, so seeing the barrier proves every transaction open before it has
   * ended and nothing committed before the call was missed.
   */
  readonly barrier?: { readonly producer: Producer; readonly timeoutMs: number };
}

/**
 * Reads a topic to its current end with a throw-away group that never
 * commits. Without a barrier, a partition also counts as read once no batch
 * arrived for `idleMs`, which may stop short behind an open transaction.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  options: ReadToEndOptions = {},
): Promise<BusMessage[]> {
  const idleMs = options.idleMs ?? 1_000;
  const ends = new Map<number, bigint>();
  const partitions = await offsetsOf(admin, topic);
  if (options.barrier) {
    for (const [partition, offset] of await writeBarriers(options.barrier.producer, topic, partitions)) {
      ends.set(partition, offset + 1n);
    }
  } else {
    for (const partition of partitions) {
      if (BigInt(partition.high) > BigInt(partition.low)) ends.set(partition.partition, BigInt(partition.high));
    }
  }
  if (ends.size === 0) return [];
  const messages: BusMessage[] = [];
  const consumer = kafka.consumer({ groupId: `read-${topic}-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  let idle: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const finishWhenQuiet = (): void => {
        if (options.barrier) return;
        clearTimeout(idle);
        idle = setTimeout(resolve, idleMs);
      };
      if (options.barrier) {
        const { timeoutMs } = options.barrier;
        deadline = setTimeout(() => {
          reject(
            new Error(
              `read of ${topic} did not settle within ${timeoutMs} ms: a transaction stayed open ` +
                `on partitions ${[...ends.keys()].join(', ')} longer than the producers' transaction timeout`,
            ),
          );
        }, timeoutMs);
      }
      consumer.on(consumer.events.GROUP_JOIN, finishWhenQuiet);
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .subscribe({ topic, fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                const end = ends.get(batch.partition);
                if (end !== undefined && BigInt(message.offset) + 1n >= end) ends.delete(batch.partition);
                if (message.key?.toString() === BARRIER_KEY) continue;
                messages.push({
                  topic,
                  partition: batch.partition,
                  offset: message.offset,
                  key: message.key?.toString() ?? null,
                  value: message.value ?? Buffer.alloc(0),
                  headers: Object.fromEntries(
                    Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
                  ),
                  timestamp: Number(message.timestamp),
                });
              }
              if (ends.size === 0) {
                clearTimeout(idle);
                resolve();
              } else finishWhenQuiet();
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    clearTimeout(idle);
    clearTimeout(deadline);
    await consumer.disconnect();
  }
  return messages;
}

/** One barrier record per partition; returns the offset each landed at. */
async function writeBarriers(
  producer: Producer,
  topic: string,
  partitions: readonly { partition: number }[],
): Promise<Map<number, bigint>> {
  const value = randomUUID();
  const written = await producer.send({
    topic,
    acks: -1,
    messages: partitions.map(({ partition }) => ({ key: BARRIER_KEY, value, partition })),
  });
  return new Map(written.map((record) => [record.partition, BigInt(record.baseOffset ?? '0')]));
}

/** A topic created a moment ago may not have its leaders known yet: retry what Kafka calls retriable. */
async function offsetsOf(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (attempt >= 10 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
