import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KafkaProtocolEncoder } from './kafka-encoder-growth.ts';

interface Writable {
  writeInt8(value: number): Writable;
  writeInt32(value: number): Writable;
  writeBytes(value: Buffer): Writable;
  readonly buffer: Buffer;
}

const newEncoder = (): Writable => new (KafkaProtocolEncoder as unknown as new () => Writable)();

describe('KafkaJS encoder growth without zero fill', () => {
  it('exposes exactly the bytes written, across many growths of its buffer', () => {
    const encoder = newEncoder();
    const expected: Buffer[] = [];
    for (let index = 0; index < 200; index++) {
      const body = randomBytes((index * 97) % 5_000);
      encoder
        .writeInt8(index % 128)
        .writeInt32(index * 1_000_003)
        .writeBytes(body);
      const header = Buffer.alloc(9);
      header.writeInt8(index % 128, 0);
      header.writeInt32BE(index * 1_000_003, 1);
      header.writeInt32BE(body.length, 5);
      expected.push(header, body);
    }
    expect(Buffer.compare(encoder.buffer, Buffer.concat(expected))).toBe(0);
  });

  it('leaves a fresh encoder empty even when the pool it grows from holds other bytes', () => {
    Buffer.allocUnsafe(1_000).fill(0xff);
    const encoder = newEncoder();
    encoder.writeBytes(Buffer.alloc(600, 1));
    expect(encoder.buffer).toHaveLength(604);
    expect([...encoder.buffer.subarray(4)].every((byte) => byte === 1)).toBe(true);
  });
});
