/**
 * The transactional producer, on a thread of its own. KafkaJS encodes every
 * record in JavaScript (several copies, zero-filled buffers, a byte-wise
 * CRC32C): on the caller's event loop that cost more than everything else a
 * collector does per event, and the transaction's round trips waited behind
 * the caller's work. Here both run beside the caller.
 */
import { parentPort, workerData } from 'node:worker_threads';
import './kafka-encoder-growth.ts';
import { Kafka, logLevel, type Producer, type Transaction } from 'kafkajs';
import { javaCompatiblePartitioner } from './kafka-partitioner.ts';
import { PRODUCER_COMPRESSION } from './kafka-zstd.ts';
import { produceChunks, type ChunkLimits } from './kafka-produce-chunks.ts';
import {
  toWire,
  unpack,
  type ProducerThreadSettings,
  type ThreadReply,
  type ThreadRequest,
} from './kafka-transactional-wire.ts';

/** Within the broker's default max.message.bytes (1 MiB) per partition, with room for batch headers. */
const CHUNK_LIMITS: ChunkLimits = { partitionBytes: 900_000, requestBytes: 8_000_000 };

/**
 * Produce errors after which KafkaJS's sequence numbers no longer match the
 * broker's: it drops the numbers of the partitions a failed request did
 * write, and every later transaction fails as out of order or, worse, is
 * taken for a duplicate and dropped. Only a new producer epoch resets them.
 */
const SEQUENCE_BREAKING = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
]);

// KafkaJS 2.2 arms timers with negative delays on Node 24; Node clamps them to 1 ms and warns.
// The behaviour is correct and a thread has its own process object: only that warning goes, as
// the nightjar binary does on the main thread.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  const kind = rest[0];
  const type = typeof kind === 'string' ? kind : (kind as { type?: unknown } | undefined)?.type;
  if (type === 'TimeoutNegativeWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
};

const settings = workerData as ProducerThreadSettings;
const port = parentPort!;
const reply = (message: ThreadReply): void => port.postMessage(message);

class Unreachable extends Error {}

const partitionCounts = new Map<string, number>();
const kafka = new Kafka({
  clientId: settings.clientId,
  brokers: [...settings.brokers],
  connectionTimeout: settings.connectionTimeout,
  // Bounded so a dead cluster surfaces as an error instead of endless reconnects.
  retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3_000 },
  logLevel: settings.log ? logLevel.INFO : logLevel.NOTHING,
  ...(settings.log
    ? {
        logCreator: () => (entry) =>
          reply({ kind: 'log', level: entry.level, namespace: entry.namespace, log: cloneable(entry.log) }),
      }
    : {}),
  ...(settings.ssl === undefined ? {} : { ssl: settings.ssl }),
  ...(settings.sasl ? { sasl: settings.sasl } : {}),
});

const newProducer = (): Producer =>
  kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    transactionalId: settings.transactionalId,
    transactionTimeout: settings.transactionTimeout,
    // The coordinator answers CONCURRENT_TRANSACTIONS to a transaction that begins while the
    // previous one's commit markers are still being written, which takes a few milliseconds.
    // KafkaJS retries the whole send after the retry time: 300 ms (the client's) stalled every
    // few transactions, where the Java client waits 20 ms. Retries stay unbounded, as KafkaJS
    // wants them for an idempotent producer.
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 20, maxRetryTime: 3_000 },
    allowAutoTopicCreation: false,
    createPartitioner: javaCompatiblePartitioner((topic, partitions) => partitionCounts.set(topic, partitions)),
  });

let producer = newProducer();
let connected: Promise<void> | undefined;

/** Connects once; a failed attempt is forgotten so the next request tries again. */
function ready(): Promise<void> {
  connected ??= connectWithinDeadline().catch((error: unknown) => {
    connected = undefined;
    throw error;
  });
  return connected;
}

async function connectWithinDeadline(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Unreachable(`no answer within ${settings.connectDeadlineMs} ms`)),
      settings.connectDeadlineMs,
    );
  });
  try {
    await Promise.race([producer.connect(), deadline]);
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A new producer under the same id starts a new epoch: the broker forgets the old sequence numbers. */
async function replaceProducer(): Promise<void> {
  const broken = producer;
  producer = newProducer();
  connected = undefined;
  await broken.disconnect().catch(() => undefined);
}

/**
 * Begins a transaction. A producer whose last abort never reached the broker
 * is stuck in ABORTING for good (KafkaJS refuses every later transaction): a
 * new producer under the same id takes its place, and its first transaction
 * fences the old epoch, whose open transaction the coordinator then aborts.
 */
async function begin(): Promise<Transaction> {
  await ready();
  try {
    return await producer.transaction();
  } catch (error) {
    if (!/Transaction state exception/.test((error as Error).message)) throw error;
    await replaceProducer();
    await ready();
    return producer.transaction();
  }
}

/** Aborts; when the abort fails (the broker is away), the producer is replaced so none stays stuck. */
async function abortOrReplace(transaction: Transaction): Promise<void> {
  const aborted = await transaction.abort().then(
    () => true,
    () => false,
  );
  if (!aborted) await replaceProducer();
}

async function publish(request: Extract<ThreadRequest, { op: 'publish' }>): Promise<void> {
  const transaction = await begin();
  try {
    for (const chunk of produceChunks(
      unpack(request.transaction),
      (topic) => partitionCounts.get(topic),
      CHUNK_LIMITS,
    )) {
      await transaction.sendBatch({
        acks: -1,
        compression: PRODUCER_COMPRESSION,
        topicMessages: chunk.map((entry) => ({ topic: entry.topic, messages: [...entry.messages] })),
      });
    }
    await transaction.commit();
  } catch (error) {
    if (SEQUENCE_BREAKING.has((error as { type?: unknown }).type as string)) {
      await transaction.abort().catch(() => undefined);
      await replaceProducer();
    } else {
      await abortOrReplace(transaction);
    }
    throw error;
  }
}

/**
 * KafkaJS registers the transactional id with the coordinator only when a
 * first transaction begins; an empty one does that, which fences a dead
 * predecessor with the same id and aborts the transaction it left open.
 */
async function fence(): Promise<void> {
  const transaction = await begin();
  try {
    await transaction.abort();
  } catch (error) {
    await replaceProducer();
    throw error;
  }
}

async function handle(request: ThreadRequest): Promise<void> {
  switch (request.op) {
    case 'publish':
      return publish(request);
    case 'fence':
      return fence();
    case 'close':
      return producer.disconnect();
  }
}

// One request at a time: a transactional producer runs one transaction at a time.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ThreadRequest) => {
  queue = queue.then(() =>
    handle(request).then(
      () => reply({ kind: 'done', id: request.id }),
      (error: unknown) => reply({ kind: 'failed', id: request.id, error: toWire(error, error instanceof Unreachable) }),
    ),
  );
});

/** KafkaJS log fields, errors included, as plain data that crosses the thread boundary. */
function cloneable(log: object): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(log, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
    ),
  ) as Record<string, unknown>;
}
