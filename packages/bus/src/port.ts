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

/** Lets a handler that waits (a provider's rate limit) keep its partitions. */
export interface HandlerContext {
  /**
   * Tells the group this member is alive; call at least every few seconds
   * while waiting. Throws when the partitions were taken away meanwhile: the
   * handler should then give up, since another member will handle the batch.
   */
  heartbeat(): Promise<void>;
  /** Aborted when the subscription stops. */
  readonly signal: AbortSignal;
}

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group with no committed offset starts. Default: the earliest message. */
  readonly fromBeginning?: boolean;
  /** Upper bound on messages handed to one handler call. */
  readonly maxBatchSize?: number;
  /**
   * Partitions whose batches may be in the handler at the same time (default
   * 1). Order still holds within each partition; a handler that shares state
   * across partitions must tolerate the overlap.
   */
  readonly concurrentPartitions?: number;
  /**
   * Lets the broker hold a fetch until it has gathered `bytes` or `waitMs`
   * has passed: fewer, fuller batches for a handler whose cost is per call
   * (an insert), for up to `waitMs` of added latency. Default: a fetch
   * returns as soon as anything is there. The in-memory bus hands over what
   * it has.
   */
  readonly gather?: { readonly bytes: number; readonly waitMs: number };
  readonly handler: (batch: MessageBatch, context: HandlerContext) => Promise<void>;
  /** Told about every failed handler call before the batch is retried. */
  readonly onHandlerError?: (error: unknown, batch: MessageBatch) => void;
}

/** How far a group member is behind the end of one partition it holds. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** Messages appended to the partition that the group has not handled yet. */
  readonly messages: number;
}

export interface Subscription {
  /** True once the consumer joined its group and can receive messages. */
  ready(): boolean;
  /**
   * The lag of the partitions this member holds, as of its latest fetch (a
   * partition it has not fetched from since joining counts as caught up).
   */
  lag(): readonly PartitionLag[];
  /** Stops fetching, waits for the in-flight handler, commits, leaves the group. */
  stop(): Promise<void>;
}

export interface Publisher {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

export interface ReadTopicOptions {
  /**
   * Also wait until every transaction still open when the call began has
   * committed or aborted, so a write that committed just before the call
   * is never missed behind one that a killed process left open. Kafka does
   * this with a barrier record per partition (key {@link BARRIER_KEY}), so
   * only for topics whose readers go through `readTopic` (compacted state).
   */
  readonly settled?: boolean;
}

/** Key of the barrier records a settled read leaves behind; `readTopic` never returns them. */
export const BARRIER_KEY = '__nightjar_read_barrier__';

export interface EventBus extends Publisher {
  readonly kind: 'kafka' | 'memory';
  /** All entries become visible together or none do (Kafka: one transaction). */
  publishAtomically(entries: readonly TopicMessages[]): Promise<void>;
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Every committed message of a topic from its beginning to where it ended
   * when the call began, without joining or committing for any group: how a
   * process reloads state kept in a compacted topic (checkpoints).
   */
  readTopic(topic: string, options?: ReadTopicOptions): Promise<BusMessage[]>;
  close(): Promise<void>;
}
