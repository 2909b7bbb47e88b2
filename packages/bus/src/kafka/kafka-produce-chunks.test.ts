import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../port.ts';
import { partitionOfKey } from './kafka-partitioner.ts';
import { produceChunks } from './kafka-produce-chunks.ts';

const message = (key: string, bytes: number, seq: number): OutgoingMessage => ({
  key,
  value: Buffer.alloc(bytes, seq % 256),
  headers: { seq: String(seq) },
});

const limits = { partitionBytes: 10_000, requestBytes: 50_000 };

describe('produce chunks', () => {
  it('sends a transaction that fits as one request', () => {
    const entries = [{ topic: 'a', messages: [message('k', 100, 0), message('k', 100, 1)] }];
    expect(produceChunks(entries, () => 3, limits)).toEqual([entries]);
  });

  it('keeps each partition under its limit and every key in order', () => {
    const keys = ['tenant-1/a', 'tenant-1/b', 'tenant-2/a', 'tenant-3/c'];
    const messages = Array.from({ length: 200 }, (_, seq) => message(keys[seq % keys.length]!, 900, seq));
    const entries = [
      { topic: 'events', messages },
      { topic: 'checkpoints', messages: [message('feed', 20, 999)] },
    ];
    const chunks = produceChunks(entries, (topic) => (topic === 'events' ? 3 : undefined), limits);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      const perPartition = new Map<string, number>();
      let request = 0;
      for (const entry of chunk) {
        for (const sent of entry.messages) {
          const slot = `${entry.topic}:${partitionOfKey(sent.key, entry.topic === 'events' ? 3 : 1)}`;
          perPartition.set(slot, (perPartition.get(slot) ?? 0) + sent.value.length);
          request += sent.value.length;
        }
      }
      expect(Math.max(...perPartition.values())).toBeLessThanOrEqual(limits.partitionBytes);
      expect(request).toBeLessThanOrEqual(limits.requestBytes);
    }
    const sent = chunks.flatMap((chunk) => chunk.flatMap((entry) => entry.messages.map((m) => m.headers!['seq'])));
    expect(sent.filter((seq) => seq !== '999')).toEqual(messages.map((m) => m.headers!['seq']));
    expect(sent).toContain('999');
  });

  it('counts a topic of unknown size as one partition', () => {
    const messages = Array.from({ length: 30 }, (_, seq) => message(`key-${seq}`, 900, seq));
    const chunks = produceChunks([{ topic: 'new', messages }], () => undefined, limits);
    for (const chunk of chunks) {
      expect(chunk[0]!.messages.reduce((sum, m) => sum + m.value.length, 0)).toBeLessThanOrEqual(limits.partitionBytes);
    }
    expect(chunks.flatMap((chunk) => chunk[0]!.messages)).toEqual(messages);
  });

  it('sends a message over the limit alone', () => {
    const chunks = produceChunks(
      [{ topic: 'a', messages: [message('k', 20_000, 0), message('k', 10, 1)] }],
      () => 1,
      limits,
    );
    expect(chunks.map((chunk) => chunk[0]!.messages.length)).toEqual([1, 1]);
  });
});
