import type { OutgoingMessage, TopicMessages } from '../port.ts';
import { partitionOfKey } from './kafka-partitioner.ts';

export interface ChunkLimits {
  /**
   * Bytes of records one partition may receive in one produce request. The
   * broker refuses a record batch over the topic's max.message.bytes (1 MiB
   * by default), and KafkaJS puts all of a request's messages for one
   * partition in one batch.
   */
  readonly partitionBytes: number;
  /** Bytes of one produce request, which KafkaJS encodes in one go, blocking the event loop meanwhile. */
  readonly requestBytes: number;
}

/** What a record costs in a batch beyond its key, value and headers: lengths, offsets, timestamps. */
const RECORD_OVERHEAD = 32;

/**
 * Splits one transaction's messages into produce requests that the broker
 * accepts, keeping each partition's messages in their order: requests are
 * sent one after the other, and a message never goes before one given
 * earlier. `partitionsOf` is the topic's partition count when known; an
 * unknown topic is counted as one partition, which can only split more.
 */
export function produceChunks(
  entries: readonly TopicMessages[],
  partitionsOf: (topic: string) => number | undefined,
  limits: ChunkLimits,
): TopicMessages[][] {
  let total = 0;
  for (const entry of entries) for (const message of entry.messages) total += recordSize(message);
  // The common case: everything fits one request even if it all went to one partition.
  if (total <= limits.partitionBytes && total <= limits.requestBytes) return entries.length > 0 ? [[...entries]] : [];
  const chunks: TopicMessages[][] = [];
  let current = new Map<string, OutgoingMessage[]>();
  let partitionBytes = new Map<string, number>();
  let requestBytes = 0;
  const close = (): void => {
    if (current.size > 0) chunks.push([...current].map(([topic, messages]) => ({ topic, messages })));
    current = new Map();
    partitionBytes = new Map();
    requestBytes = 0;
  };
  for (const entry of entries) {
    const partitions = partitionsOf(entry.topic) ?? 1;
    for (const message of entry.messages) {
      const size = recordSize(message);
      const slot = `${partitionOfKey(message.key, partitions)}:${entry.topic}`;
      const before = partitionBytes.get(slot) ?? 0;
      // A message alone over a limit still goes, alone: the broker's answer is the caller's error.
      if ((before + size > limits.partitionBytes || requestBytes + size > limits.requestBytes) && requestBytes > 0) {
        close();
      }
      let list = current.get(entry.topic);
      if (list === undefined) {
        list = [];
        current.set(entry.topic, list);
      }
      list.push(message);
      partitionBytes.set(slot, (partitionBytes.get(slot) ?? 0) + size);
      requestBytes += size;
    }
  }
  close();
  return chunks;
}

function recordSize(message: OutgoingMessage): number {
  let size = RECORD_OVERHEAD + Buffer.byteLength(message.key) + message.value.length;
  if (message.headers) {
    for (const name in message.headers) size += 8 + Buffer.byteLength(name) + Buffer.byteLength(message.headers[name]!);
  }
  return size;
}
