import { randomBytes } from 'node:crypto';
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * The Java client's murmur2 over a key's UTF-8 bytes, in 32-bit integer
 * arithmetic. KafkaJS computes the same value with a 64-bit Long emulation
 * that cost more per message than encoding the message did.
 */
export function murmur2(key: string | Buffer): number {
  if (typeof key !== 'string') return murmur2Bytes(key, key.length);
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so a key that short always fits the scratch buffer.
  if (key.length * 3 > scratch.length) return murmur2(Buffer.from(key));
  return murmur2Bytes(scratch, scratch.write(key, 0, 'utf8'));
}

const scratch = Buffer.allocUnsafe(1024);

function murmur2Bytes(data: Buffer, length: number): number {
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition a keyed message lands on among `partitions`, as the Java client and KafkaJS place it. */
export function partitionOfKey(key: string | Buffer, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * KafkaJS's DefaultPartitioner (the Java client's placement) with a fast
 * murmur2: an explicit partition wins, a key hashes, a keyless message goes
 * round-robin over the partitions that have a leader. `observe` learns each
 * topic's partition count, so the bus can size its requests.
 */
export function javaCompatiblePartitioner(observe?: (topic: string, partitions: number) => void): ICustomPartitioner {
  return () => {
    const counters = new Map<string, number>();
    return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
      const partitions = partitionMetadata.length;
      observe?.(topic, partitions);
      if (message.partition !== null && message.partition !== undefined) return message.partition;
      if (message.key !== null && message.key !== undefined) return partitionOfKey(message.key, partitions);
      const counter = (counters.get(topic) ?? randomBytes(4).readUInt32BE(0)) + 1;
      counters.set(topic, counter);
      const available = partitionMetadata.filter((partition) => partition.leader >= 0);
      if (available.length > 0) return available[(counter & 0x7fffffff) % available.length]!.partitionId;
      return (counter & 0x7fffffff) % partitions;
    };
  };
}
