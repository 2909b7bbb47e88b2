import type { EventBus, SubscribeOptions, Subscription } from '../port.ts';
import { MemoryJournal } from './memory-journal.ts';
import { MemoryLog } from './memory-log.ts';
import { pause, redeliveryDelayMs } from '../redelivery.ts';

export interface MemoryBusOptions {
  /**
   * A file that keeps topics, messages and committed offsets, so a process
   * started again on it resumes where the last one stopped (collector
   * checkpoints included). Without it everything lives in memory only.
   */
  readonly journalPath?: string;
}

/**
 * The embedded mode's bus: one process, no broker, the same delivery contract
 * as Kafka (per-key order, per-group offsets, redelivery after a failed handler).
 */
export function createMemoryBus(options: MemoryBusOptions = {}): EventBus {
  const log = new MemoryLog(options.journalPath ? new MemoryJournal(options.journalPath) : undefined);
  // A partition is handled by one member of a group at a time, like a Kafka assignment.
  const busy = new Set<string>();
  const subscriptions = new Set<Subscription>();

  async function subscribe(options: SubscribeOptions): Promise<Subscription> {
    for (const topic of options.topics) {
      for (let partition = 0; partition < log.partitionCount(topic); partition++) {
        if (options.fromBeginning === false && log.committed(options.groupId, topic, partition) === undefined) {
          log.commit(options.groupId, topic, partition, log.end(topic, partition));
        }
      }
    }
    const stopping = new AbortController();
    const failures = new Map<string, number>();
    const maxBatchSize = options.maxBatchSize ?? 500;

    async function handleNext(topic: string, partition: number): Promise<boolean> {
      const lock = `${options.groupId}\0${topic}\0${partition}`;
      const from = log.committed(options.groupId, topic, partition) ?? 0;
      const messages = log.read(topic, partition, from, maxBatchSize);
      if (messages.length === 0 || busy.has(lock)) return false;
      busy.add(lock);
      const batch = { topic, partition, messages };
      try {
        await options.handler(batch, { heartbeat: async () => undefined, signal: stopping.signal });
        log.commit(options.groupId, topic, partition, Number(messages.at(-1)!.offset) + 1);
        failures.delete(lock);
      } catch (error) {
        options.onHandlerError?.(error, batch);
        const count = (failures.get(lock) ?? 0) + 1;
        failures.set(lock, count);
        await pause(redeliveryDelayMs(count), stopping.signal);
      } finally {
        busy.delete(lock);
      }
      return true;
    }

    async function consume(): Promise<void> {
      while (!stopping.signal.aborted) {
        const version = log.version;
        let worked = false;
        for (const topic of options.topics) {
          const partitions = log.partitionCount(topic);
          for (let partition = 0; partition < partitions && !stopping.signal.aborted; partition++) {
            if (await handleNext(topic, partition)) worked = true;
          }
        }
        // Another member may hold a partition; poll again shortly instead of only on appends.
        if (!worked) await log.appendedAfter(version, 200, stopping.signal);
      }
    }

    const consuming = consume();
    const subscription: Subscription = {
      ready: () => !stopping.signal.aborted,
      // Every member of a group sees every partition here; the group's lag is reported by each.
      lag: () =>
        options.topics.flatMap((topic) =>
          Array.from({ length: log.partitionCount(topic) }, (_, partition) => ({
            topic,
            partition,
            messages: log.end(topic, partition) - (log.committed(options.groupId, topic, partition) ?? 0),
          })),
        ),
      stop: async () => {
        stopping.abort();
        await consuming;
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'memory',
    ensureTopics: async (topics) => topics.forEach((topic) => log.ensure(topic)),
    publish: async (topic, messages) => log.append([{ topic, messages }]),
    publishAtomically: async (entries) => log.append(entries),
    subscribe,
    // Atomic publishes land whole in one step here, so every read is settled.
    readTopic: async (topic) => log.all(topic),
    close: async () => {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
    },
  };
}
