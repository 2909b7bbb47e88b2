/**
 * The event bus port. Roles publish and consume through this interface only;
 * Kafka (distributed mode) and an in-process log (embedded mode) implement it.
 *
 * Delivery contract every adapter honours (see ./testing/contract.ts):
 * - `publish` resolves only once the messages are durable (Kafka: acks=all).
 * - every consumer group subscribed to a topic receives every message;
 *   within a group each message is handled by one member.
 * - messages with the same key keep their order.
 * - a batch's offsets are committed only after its handler resolved; when
 *   the handler throws, the same messages are delivered again (at least once).
 */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BusMessage {
  readonly topic: string;
  readonly partition: number;
  /** Position in the partition, as a decimal string (Kafka offsets exceed 2^53). */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** Append time in epoch milliseconds. */
  readonly timestamp: number;
}

export interface MessageBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly BusMessage[];
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Delete records older than this; unset keeps the broker default. */
  readonly retentionMs?: number;
  /** Keep only the newest record per key (checkpoints, snapshots). */
  readonly compacted?: boolean;
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. Default: the earliest message. */
  readonly fromBeginning?: boolean;
  /** Upper bound on messages handed to one handler call. */
  readonly maxBatchSize?: number;
  readonly handler: (batch: MessageBatch) => Promise<void>;
  /** Told about every failed handler call before the batch is retried. */
  readonly onHandlerError?: (error: unknown, batch: MessageBatch) => void;
}

export interface Subscription {
  /** True once the consumer joined its group and can receive messages. */
  ready(): boolean;
  /** Stops fetching, waits for the in-flight handler, commits, leaves the group. */
  stop(): Promise<void>;
}

export interface Publisher {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

export interface EventBus extends Publisher {
  readonly kind: 'kafka' | 'memory';
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
