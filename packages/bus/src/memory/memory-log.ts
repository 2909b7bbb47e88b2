import type { BusMessage, TopicMessages, TopicSpec } from '../port.ts';

/** Stable string hash (FNV-1a); only has to keep one key on one partition. */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Append-only partitions per topic, committed offsets per group, and wake-ups for idle consumers. */
export class MemoryLog {
  readonly #topics = new Map<string, BusMessage[][]>();
  readonly #committed = new Map<string, number>();
  #waiters: (() => void)[] = [];
  #version = 0;

  ensure(spec: TopicSpec): void {
    if (this.#topics.has(spec.name)) return;
    this.#topics.set(
      spec.name,
      Array.from({ length: Math.max(1, spec.partitions) }, () => []),
    );
  }

  partitions(topic: string): BusMessage[][] {
    const partitions = this.#topics.get(topic);
    if (!partitions) throw new Error(`topic ${topic} does not exist; call ensureTopics first`);
    return partitions;
  }

  append(entries: readonly TopicMessages[]): void {
    // Resolve every topic before appending anything, so a bad entry appends nothing.
    const targets = entries.map((entry) => ({ entry, partitions: this.partitions(entry.topic) }));
    for (const { entry, partitions } of targets) {
      for (const message of entry.messages) {
        const partition = partitionForKey(message.key, partitions.length);
        const log = partitions[partition]!;
        log.push({
          topic: entry.topic,
          partition,
          offset: String(log.length),
          key: message.key,
          value: message.value,
          headers: { ...message.headers },
          timestamp: Date.now(),
        });
      }
    }
    this.#version++;
    for (const wake of [...this.#waiters]) wake();
  }

  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.#committed.get(`${groupId}\0${topic}\0${partition}`);
  }

  commit(groupId: string, topic: string, partition: number, nextOffset: number): void {
    this.#committed.set(`${groupId}\0${topic}\0${partition}`, nextOffset);
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
}
