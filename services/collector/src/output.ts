import type { EventBus, OutgoingMessage, TopicMessages } from '@nightjar/bus';
import { encodeEvent, type DeadLetter, type EventKind, type EventKinds } from '@nightjar/events';
import { checkpointTopic, topicFor, type TopicNaming } from './topics.ts';

/**
 * What feeds publish: every event kind but alerts (the detector's), deliveries (the notifier's),
 * dead letters (kept apart) and feed health (reported by the scheduler about the feeds, see health-reports.ts).
 */
export type CollectedKind = Exclude<EventKind, 'alert' | 'dead-letter' | 'delivery' | 'feed-health'>;
export type AnyEvent = { [K in CollectedKind]: { readonly kind: K; readonly event: EventKinds[K] } }[CollectedKind];

export interface FeedOutput {
  readonly events: readonly AnyEvent[];
  /** Records that could not be normalized; they go to the dead-letter topic with their reason. */
  readonly rejects: readonly DeadLetter[];
}

interface Pending {
  readonly entries: readonly TopicMessages[];
  readonly messages: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** Messages one group commit carries at most, so a transaction stays well inside its timeout. */
const MAX_MESSAGES_PER_TRANSACTION = 20_000;

/**
 * Writes a step's events, its dead letters and the feed's new checkpoint in
 * one Kafka transaction: consumers reading committed data see all of it or
 * none, and a checkpoint never runs ahead of the events it covers.
 *
 * Steps that finish while a transaction is in flight are committed together
 * in the next one (a group commit): each transaction costs several round
 * trips to the broker, and one per step left the collector waiting on them.
 * A failed transaction fails every step in it, and each retries on its own.
 */
export class CollectorOutput {
  readonly #bus: EventBus;
  readonly #naming: TopicNaming;
  #queue: Pending[] = [];
  /** Messages of the steps in #queue, not yet in a transaction. */
  #queued = 0;
  #flushing = false;

  constructor(bus: EventBus, naming: TopicNaming) {
    this.#bus = bus;
    this.#naming = naming;
  }

  /** True once the steps waiting for the next transaction fill it: reading more would only wait longer. */
  get backlogged(): boolean {
    return this.#queued >= MAX_MESSAGES_PER_TRANSACTION;
  }

  commit(checkpointKey: string, output: FeedOutput, checkpoint: unknown): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const add = (topic: string, message: OutgoingMessage): void => {
      const list = byTopic.get(topic) ?? [];
      list.push(message);
      byTopic.set(topic, list);
    };
    for (const item of output.events) add(topicFor(this.#naming, item.kind), encode(item));
    for (const reject of output.rejects) add(topicFor(this.#naming, 'dead-letter'), encodeDeadLetter(reject));
    add(checkpointTopic(this.#naming), { key: checkpointKey, value: Buffer.from(JSON.stringify(checkpoint)) });
    const entries: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const messages = output.events.length + output.rejects.length + 1;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ entries, messages, resolve, reject });
      this.#queued += messages;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const batch: Pending[] = [];
        let messages = 0;
        while (
          this.#queue.length > 0 &&
          (batch.length === 0 || messages + this.#queue[0]!.messages <= MAX_MESSAGES_PER_TRANSACTION)
        ) {
          const next = this.#queue.shift()!;
          batch.push(next);
          messages += next.messages;
          this.#queued -= next.messages;
        }
        try {
          await this.#bus.publishAtomically(merge(batch.flatMap((pending) => pending.entries)));
          for (const pending of batch) pending.resolve();
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}

/** One entry per topic, messages in the order the steps gave them (per-key order holds within a step). */
function merge(entries: readonly TopicMessages[]): TopicMessages[] {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const entry of entries) {
    const list = byTopic.get(entry.topic) ?? [];
    list.push(...entry.messages);
    byTopic.set(entry.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function encode(item: AnyEvent): OutgoingMessage {
  return { ...encodeEvent(item), headers: { 'event-kind': item.kind, 'event-id': item.event.event_id } };
}

function encodeDeadLetter(reject: DeadLetter): OutgoingMessage {
  return { ...encodeEvent({ kind: 'dead-letter', event: reject }), headers: { 'event-kind': 'dead-letter' } };
}

/** The last committed checkpoint of every feed, reloaded from the compacted topic. */
export class CheckpointStore {
  readonly #values = new Map<string, unknown>();
  readonly #bus: EventBus;
  readonly #naming: TopicNaming;

  private constructor(bus: EventBus, naming: TopicNaming) {
    this.#bus = bus;
    this.#naming = naming;
  }

  static async load(bus: EventBus, naming: TopicNaming): Promise<CheckpointStore> {
    const store = new CheckpointStore(bus, naming);
    for (const [key, value] of await store.#read()) store.#values.set(key, value);
    return store;
  }

  get<T>(key: string): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  /** Called only after the transaction that carried the checkpoint committed. */
  remember(key: string, value: unknown): void {
    this.#values.set(key, value);
  }

  /**
   * Takes the committed checkpoints of feeds this process has just taken
   * over: their previous owner kept writing after this process loaded.
   */
  async refresh(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const latest = await this.#read();
    for (const key of keys) {
      if (latest.has(key)) this.#values.set(key, latest.get(key));
      else this.#values.delete(key);
    }
  }

  /** Settled: a transaction a killed process left open must not hide a checkpoint committed after it. */
  async #read(): Promise<Map<string, unknown>> {
    const latest = new Map<string, unknown>();
    for (const message of await this.#bus.readTopic(checkpointTopic(this.#naming), { settled: true })) {
      if (message.key !== null) latest.set(message.key, JSON.parse(message.value.toString()) as unknown);
    }
    return latest;
  }
}
