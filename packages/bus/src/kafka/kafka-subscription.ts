import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { BusMessage, MessageBatch, PartitionLag, SubscribeOptions, Subscription } from '../port.ts';
import { pause, redeliveryDelayMs } from '../redelivery.ts';
import { asBusError, withinDeadline } from './kafka-errors.ts';
import type { BusLogger } from './kafka-logger.ts';

export interface KafkaSubscriptionSettings {
  readonly brokers: readonly string[];
  readonly deadlineMs: number;
  readonly sessionTimeoutMs: number;
  readonly logger?: BusLogger;
}

/**
 * One consumer-group member. Offsets are resolved and committed only after the
 * handler resolved; a failed chunk is not resolved, so KafkaJS fetches the
 * partition again from the first unhandled offset (after a growing pause).
 */
export async function subscribeKafka(
  kafka: Kafka,
  options: SubscribeOptions,
  settings: KafkaSubscriptionSettings,
): Promise<Subscription> {
  const stopping = new AbortController();
  let joined = false;
  /** Per "topic/partition" held: the high watermark of its latest batch minus the next offset to handle. */
  const lag = new Map<string, PartitionLag>();
  let consumer: Consumer;
  let restarts = 0;

  const newConsumer = (): Consumer => {
    const created = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
      minBytes: options.gather?.bytes ?? 1,
      maxWaitTimeInMs: options.gather?.waitMs ?? 1_000,
      allowAutoTopicCreation: false,
    });
    created.on(created.events.GROUP_JOIN, () => {
      joined = true;
      restarts = 0;
      // Partitions now held by another member are that member's to report.
      lag.clear();
    });
    created.on(created.events.CRASH, (event) => {
      joined = false;
      const { error, restart } = event.payload;
      settings.logger?.error({ groupId: options.groupId, err: error, restarting: true }, 'kafka consumer crashed');
      // KafkaJS restarts a crashed consumer itself only after a retriable error; a broker
      // restart can end in one it deems final ("failed to find group coordinator"). The group
      // resumes from its committed offsets either way, so consuming never ends while the process runs.
      if (!restart && created === consumer) void restartLater();
    });
    created.on(created.events.STOP, () => (joined = false));
    // Batches holding only transaction markers or aborted messages never reach the handler:
    // KafkaJS moves past them itself, and they carry the partition's lag from then on.
    created.on(created.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0) return;
      const messages = Math.max(0, Number(payload.offsetLag));
      lag.set(`${payload.topic}/${payload.partition}`, {
        topic: payload.topic,
        partition: payload.partition,
        messages,
      });
    });
    return created;
  };

  async function restartLater(): Promise<void> {
    while (!stopping.signal.aborted) {
      restarts += 1;
      await pause(redeliveryDelayMs(restarts), stopping.signal);
      if (stopping.signal.aborted) return;
      try {
        await consumer.disconnect().catch(() => undefined);
        consumer = newConsumer();
        await run();
        if (stopping.signal.aborted) await consumer.disconnect();
        return;
      } catch (error) {
        settings.logger?.error({ groupId: options.groupId, err: error }, 'kafka consumer restart failed; trying again');
      }
    }
  }

  const failures = new Map<string, number>();
  const maxBatchSize = options.maxBatchSize ?? 500;

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partitionKey = `${batch.topic}/${batch.partition}`;
    const behindFrom = (offset: string): void => {
      const messages = Math.max(0, Number(batch.highWatermark) - Number(offset));
      lag.set(partitionKey, { topic: batch.topic, partition: batch.partition, messages });
    };
    for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
      if (!payload.isRunning() || payload.isStale() || stopping.signal.aborted) return;
      const chunk = toBusBatch(batch, batch.messages.slice(start, start + maxBatchSize));
      behindFrom(chunk.messages[0]!.offset);
      try {
        await options.handler(chunk, { heartbeat: () => payload.heartbeat(), signal: stopping.signal });
      } catch (error) {
        options.onHandlerError?.(error, chunk);
        const count = (failures.get(partitionKey) ?? 0) + 1;
        failures.set(partitionKey, count);
        await pause(redeliveryDelayMs(count), stopping.signal);
        await payload.heartbeat();
        // Leaving the chunk unresolved makes the next fetch start at its first offset again.
        return;
      }
      failures.delete(partitionKey);
      const last = start + maxBatchSize >= batch.messages.length;
      // After the last chunk, move past what follows its last message in the batch (transaction
      // markers, aborted messages): nothing there needs handling, and it is not lag.
      const handledThrough = last ? batch.lastOffset() : chunk.messages.at(-1)!.offset;
      behindFrom(String(Number(handledThrough) + 1));
      payload.resolveOffset(handledThrough);
      await payload.commitOffsetsIfNecessary(payload.uncommittedOffsets());
      await payload.heartbeat();
    }
  }

  const { brokers, deadlineMs } = settings;
  async function run(): Promise<void> {
    await withinDeadline(
      brokers,
      `join group ${options.groupId}`,
      deadlineMs,
      () => consumer.connect(),
      () => consumer.disconnect(),
    );
    try {
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, options.concurrentPartitions ?? 1),
        eachBatch,
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw asBusError(brokers, `subscribe group ${options.groupId}`, error);
    }
  }
  consumer = newConsumer();
  await run();

  return {
    ready: () => joined && !stopping.signal.aborted,
    lag: () => [...lag.values()],
    // KafkaJS's disconnect stops fetching, waits for the running eachBatch
    // (whose handled chunks are already committed) and leaves the group.
    stop: async () => {
      stopping.abort();
      await consumer.disconnect();
    },
  };
}

function toBusBatch(batch: Batch, messages: KafkaMessage[]): MessageBatch {
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: messages.map((message) => toBusMessage(batch, message)),
  };
}

function toBusMessage(batch: Batch, message: KafkaMessage): BusMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString(),
    value: message.value ?? Buffer.alloc(0),
    headers,
    timestamp: Number(message.timestamp),
  };
}
