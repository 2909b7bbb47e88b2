import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type KafkaConfig, type Message, type SASLOptions } from 'kafkajs';
import { DependencyUnavailableError } from '@nightjar/core';
import type { EventBus, OutgoingMessage, Subscription, TopicSpec } from '../port.ts';
import { asBusError, lazily, withinDeadline } from './kafka-errors.ts';
import { kafkaLogCreator, type BusLogger } from './kafka-logger.ts';
import { PRODUCER_COMPRESSION } from './kafka-zstd.ts';
import { javaCompatiblePartitioner } from './kafka-partitioner.ts';
import { transactionalProducerThread } from './kafka-producer-thread-client.ts';
import { readTopicToEnd } from './kafka-read-topic.ts';
import { subscribeKafka } from './kafka-subscription.ts';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger?: BusLogger;
  readonly ssl?: boolean;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  /** How long a first connection may take before callers get DependencyUnavailableError. Default 10 s. */
  readonly connectionTimeoutMs?: number;
  /** Consumer session timeout: how soon a dead member's partitions move to another. Default 30 s. */
  readonly sessionTimeoutMs?: number;
  /**
   * Identity of the transactional producer. A process restarted under the
   * same id (a pod's container after a crash) fences its dead predecessor
   * and aborts the transaction it left open at once; without one, each
   * process gets a random id and such a transaction ends only when it times out.
   */
  readonly transactionalId?: string;
  /** How long the broker lets a transaction stay open before aborting it. Default 20 s. */
  readonly transactionTimeoutMs?: number;
}

const PUBLISH_DEADLINE_MS = 30_000;
const ENSURE_TOPICS_ATTEMPTS = 6;

export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const brokers = [...options.brokers];
  const deadlineMs = options.connectionTimeoutMs ?? 10_000;
  const connectionTimeout = Math.min(3_000, deadlineMs);
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers,
    connectionTimeout,
    // Bounded so a dead cluster surfaces as an error instead of endless reconnects.
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3_000 },
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    ...(options.logger ? { logCreator: kafkaLogCreator(options.logger) } : {}),
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl ? { sasl: toSasl(options.sasl) } : {}),
  };
  const kafka = new Kafka(config);
  const producer = kafka.producer({
    idempotent: true,
    allowAutoTopicCreation: false,
    createPartitioner: javaCompatiblePartitioner(),
  });
  // Transactions here last as long as one send and commit; a short timeout bounds how long
  // one left open by a killed process can hold back readers of committed data.
  const transactionTimeout = options.transactionTimeoutMs ?? 20_000;
  const transactional = transactionalProducerThread(
    {
      clientId: options.clientId,
      brokers,
      connectionTimeout,
      connectDeadlineMs: deadlineMs,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      ...(options.sasl ? { sasl: toSasl(options.sasl) } : {}),
      transactionalId: options.transactionalId ?? `${options.clientId}-${randomUUID()}`,
      transactionTimeout,
      log: options.logger !== undefined,
    },
    options.logger,
  );
  const admin = kafka.admin();
  const subscriptions = new Set<Subscription>();

  const connect = (what: string, client: { connect(): Promise<void>; disconnect(): Promise<void> }) =>
    lazily(() =>
      withinDeadline(
        brokers,
        what,
        deadlineMs,
        () => client.connect(),
        () => client.disconnect(),
      ),
    );
  const producerReady = connect('connect producer', producer);
  const adminReady = connect('connect admin', admin);

  async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asBusError(brokers, what, error);
    }
  }

  async function ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    await adminReady();
    for (let attempt = 1; ; attempt++) {
      try {
        await guarded('create topics', async () => {
          const existing = new Set(await admin.listTopics());
          const missing = topics.filter((topic) => !existing.has(topic.name));
          if (missing.length === 0) return;
          // Returns false instead of failing when another process created a topic first.
          await admin.createTopics({ waitForLeaders: true, topics: missing.map(topicConfig) });
        });
        return;
      } catch (error) {
        // Processes starting together create the same topics: while another one's topics get
        // their leaders, waiting for ours answers "unknown topic or partition" for a moment.
        if (attempt >= ENSURE_TOPICS_ATTEMPTS || !(error instanceof DependencyUnavailableError)) throw error;
        await sleep(500 * attempt);
      }
    }
  }

  return {
    kind: 'kafka',
    ensureTopics,
    publishAtomically: (entries) => transactional.publish(entries),
    publish: async (topic: string, messages: readonly OutgoingMessage[]) => {
      await producerReady();
      // The idempotent producer retries without end while the cluster is down; the
      // caller gets an error after a bounded wait instead (a later retry may duplicate).
      await withinDeadline(
        brokers,
        `publish to ${topic}`,
        PUBLISH_DEADLINE_MS,
        () => producer.send({ topic, acks: -1, compression: PRODUCER_COMPRESSION, messages: messages.map(toKafka) }),
        async () => undefined,
      );
    },
    subscribe: async (subscribeOptions) => {
      const subscription = await subscribeKafka(kafka, subscribeOptions, {
        brokers,
        deadlineMs,
        sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
        ...(options.logger ? { logger: options.logger } : {}),
      });
      const tracked: Subscription = {
        ready: () => subscription.ready(),
        lag: () => subscription.lag(),
        stop: async () => {
          subscriptions.delete(tracked);
          await subscription.stop();
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },
    readTopic: async (topic, readOptions) => {
      await adminReady();
      if (!readOptions?.settled) return guarded(`read ${topic}`, () => readTopicToEnd(kafka, admin, topic));
      // Registering the transactional id fences a dead predecessor with the same id and
      // aborts the transaction it left open (KafkaJS registers it only when a transaction begins).
      await transactional.fence();
      await producerReady();
      const barrier = { producer, timeoutMs: transactionTimeout + 15_000 };
      return guarded(`read ${topic} settled`, () => readTopicToEnd(kafka, admin, topic, { barrier }));
    },
    close: async () => {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await Promise.all([producer.disconnect(), transactional.close(), admin.disconnect()]);
    },
  };
}

function toSasl(sasl: NonNullable<KafkaBusOptions['sasl']>): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

function toKafka(message: OutgoingMessage): Message {
  // KafkaJS only reads the headers: no copy needed.
  return message.headers ? { key: message.key, value: message.value, headers: message.headers } : message;
}

function topicConfig(topic: TopicSpec) {
  const configEntries = [
    ...(topic.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(topic.retentionMs) }]),
    ...(topic.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
  ];
  return { topic: topic.name, numPartitions: topic.partitions, configEntries };
}
