import type { BusMessage, TopicMessages, TopicSpec } from '../port.ts';
import { fromJournal, toJournal, type JournalRecord, type MemoryJournal } from './memory-journal.ts';

/** Stable string hash (FNV-1a); only has to keep one key on one partition. */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

interface Partition {
  /** Ascending offsets; compaction may leave gaps. */
  messages: BusMessage[];
  /** The offset the next append gets. */
  next: number;
}

interface Topic {
  readonly spec: TopicSpec;
  readonly partitions: Partition[];
}

/**
 * Append-only partitions per topic, committed offsets per group, and wake-ups
 * for idle consumers. With a journal, every topic, publish and commit is on
 * disk before the call returns, and opening the log again restores them.
 */
export class MemoryLog {
  readonly #topics = new Map<string, Topic>();
  readonly #committed = new Map<string, number>();
  readonly #journal: MemoryJournal | undefined;
  #waiters: (() => void)[] = [];
  #version = 0;

  constructor(journal?: MemoryJournal, now: number = Date.now()) {
    this.#journal = journal;
    if (!journal) return;
    for (const record of journal.read()) this.#replay(record);
    journal.rewrite(this.#compacted(now));
  }

  ensure(spec: TopicSpec): void {
    if (this.#topics.has(spec.name)) return;
    this.#journal?.write({ t: 'topic', spec });
    this.#create(spec);
  }

  partitionCount(topic: string): number {
    return this.#topic(topic).partitions.length;
  }

  /** The offset the next message of the partition will get. */
  end(topic: string, partition: number): number {
    return this.#topic(topic).partitions[partition]!.next;
  }

  /** Up to `max` messages from `from` on (the first kept one, should compaction have removed it). */
  read(topic: string, partition: number, from: number, max: number): BusMessage[] {
    const { messages } = this.#topic(topic).partitions[partition]!;
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (Number(messages[middle]!.offset) < from) low = middle + 1;
      else high = middle;
    }
    return messages.slice(low, low + max);
  }

  all(topic: string): BusMessage[] {
    return this.#topic(topic).partitions.flatMap((partition) => partition.messages);
  }

  append(entries: readonly TopicMessages[]): void {
    // Resolve every topic and offset before keeping anything, so a bad entry (or a failed write) appends nothing.
    const planned: BusMessage[] = [];
    const next = new Map<Partition, number>();
    for (const entry of entries) {
      const { partitions } = this.#topic(entry.topic);
      for (const message of entry.messages) {
        const partition = partitionForKey(message.key, partitions.length);
        const target = partitions[partition]!;
        const offset = next.get(target) ?? target.next;
        next.set(target, offset + 1);
        planned.push({
          topic: entry.topic,
          partition,
          offset: String(offset),
          key: message.key,
          value: message.value,
          headers: { ...message.headers },
          timestamp: Date.now(),
        });
      }
    }
    this.#journal?.write({ t: 'append', messages: planned.map(toJournal) });
    for (const message of planned) this.#keep(message);
    this.#version++;
    for (const wake of [...this.#waiters]) wake();
  }

  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.#committed.get(commitKey(groupId, topic, partition));
  }

  commit(groupId: string, topic: string, partition: number, nextOffset: number): void {
    this.#journal?.write({ t: 'commit', group: groupId, topic, partition, offset: nextOffset });
    this.#committed.set(commitKey(groupId, topic, partition), nextOffset);
  }

  /** Counts appends, so a consumer can wait for one that happened after its last scan. */
  get version(): number {
    return this.#version;
  }

  /** Resolves once an append happened after `version`, after `timeoutMs`, or when `signal` aborts. */
  appendedAfter(version: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.#version !== version || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.push(done);
      signal.addEventListener('abort', done);
    });
  }

  #topic(name: string): Topic {
    const topic = this.#topics.get(name);
    if (!topic) throw new Error(`topic ${name} does not exist; call ensureTopics first`);
    return topic;
  }

  #create(spec: TopicSpec, next: readonly number[] = []): void {
    const partitions = Array.from({ length: Math.max(1, spec.partitions) }, (_, index) => ({
      messages: [],
      next: next[index] ?? 0,
    }));
    this.#topics.set(spec.name, { spec, partitions });
  }

  #keep(message: BusMessage): void {
    const partition = this.#topic(message.topic).partitions[message.partition]!;
    partition.messages.push(message);
    partition.next = Number(message.offset) + 1;
  }

  #replay(record: JournalRecord): void {
    if (record.t === 'topic') {
      if (!this.#topics.has(record.spec.name)) this.#create(record.spec, record.next);
    } else if (record.t === 'append') {
      for (const message of record.messages) this.#keep(fromJournal(message));
    } else {
      this.#committed.set(commitKey(record.group, record.topic, record.partition), record.offset);
    }
  }

  /**
   * What the journal needs to restore this log, smaller: a compacted topic
   * keeps the newest message per key; any other topic drops messages past
   * its retention that every group reading it has committed.
   */
  #compacted(now: number): JournalRecord[] {
    const records: JournalRecord[] = [];
    const messages: BusMessage[] = [];
    for (const [name, topic] of this.#topics) {
      records.push({ t: 'topic', spec: topic.spec, next: topic.partitions.map((partition) => partition.next) });
      topic.partitions.forEach((partition, index) => {
        partition.messages = this.#retained(name, index, topic.spec, partition.messages, now);
        messages.push(...partition.messages);
      });
    }
    if (messages.length > 0) records.push({ t: 'append', messages: messages.map(toJournal) });
    for (const [key, offset] of this.#committed) {
      const [group, topic, partition] = key.split('\0') as [string, string, string];
      records.push({ t: 'commit', group, topic, partition: Number(partition), offset });
    }
    return records;
  }

  #retained(topic: string, partition: number, spec: TopicSpec, messages: BusMessage[], now: number): BusMessage[] {
    if (spec.compacted) {
      const newest = new Map<string | null, BusMessage>();
      for (const message of messages) newest.set(message.key, message);
      return messages.filter((message) => newest.get(message.key) === message);
    }
    if (spec.retentionMs === undefined) return messages;
    const readers = [...this.#committed]
      .filter(([key]) => key.endsWith(`\0${topic}\0${partition}`))
      .map(([, offset]) => offset);
    if (readers.length === 0) return messages;
    const consumed = Math.min(...readers);
    const cutoff = now - spec.retentionMs;
    return messages.filter((message) => message.timestamp >= cutoff || Number(message.offset) >= consumed);
  }
}

function commitKey(groupId: string, topic: string, partition: number): string {
  return `${groupId}\0${topic}\0${partition}`;
}
