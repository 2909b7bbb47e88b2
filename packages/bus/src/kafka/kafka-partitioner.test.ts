import { describe, expect, it } from 'vitest';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { javaCompatiblePartitioner, murmur2 } from './kafka-partitioner.ts';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));

/** Keys of every length 0-69, ASCII and multi-byte, lone surrogates included. */
function keys(count: number): string[] {
  const alphabet = 'abcXYZ0123456789-/_.éü漢字😀';
  let state = 7;
  const next = (): number => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0);
  return Array.from({ length: count }, (_, n) =>
    Array.from({ length: n % 70 }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

describe('java-compatible partitioner', () => {
  it('places every key where KafkaJS (and the Java client) place it', () => {
    const ours = javaCompatiblePartitioner()();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 7]) {
      for (const key of keys(3_000)) {
        const args = { topic: 'events', partitionMetadata: metadata(partitions), message: { key, value: null } };
        expect(ours(args), `${JSON.stringify(key)} over ${partitions}`).toBe(theirs(args));
        const bytes = { ...args, message: { key: Buffer.from(key), value: null } };
        expect(ours(bytes)).toBe(theirs(bytes));
      }
    }
  });

  it('hashes a key longer than its scratch buffer like a short one', () => {
    const long = 'tenant/'.repeat(200);
    expect(murmur2(long)).toBe(murmur2(Buffer.from(long)));
  });

  it('keeps an explicit partition and spreads keyless messages over the partitions with a leader', () => {
    const seen: [string, number][] = [];
    const partitioner = javaCompatiblePartitioner((topic, count) => seen.push([topic, count]))();
    const partitionMetadata = metadata(4).map((partition) =>
      partition.partitionId === 2 ? { ...partition, leader: -1 } : partition,
    );
    expect(partitioner({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 3 } })).toBe(3);
    const placed = new Set(
      Array.from({ length: 30 }, () => partitioner({ topic: 't', partitionMetadata, message: { value: null } })),
    );
    expect([...placed].sort()).toEqual([0, 1, 3]);
    expect(seen[0]).toEqual(['t', 4]);
  });
});
