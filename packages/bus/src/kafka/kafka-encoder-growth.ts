/**
 * KafkaJS's protocol encoder grows its buffer with `Buffer.alloc`: every
 * record of every batch is written into a fresh zero-filled buffer, doubled
 * and zero-filled again as it grows. The encoder only ever exposes bytes it
 * wrote (writes go to its offset, `buffer` is the slice up to it), so the
 * fill is pure cost: on the producer thread it was a tenth of its CPU.
 * Importing this module makes the growth use `Buffer.allocUnsafe` (pooled
 * for small sizes) in the thread that imports it; the producer thread does.
 */
import { createRequire } from 'node:module';

interface KafkaEncoder {
  buf: Buffer;
  offset: number;
}

interface KafkaEncoderClass {
  readonly prototype: KafkaEncoder & { ensureAvailable(length: number): void };
  nextPowerOfTwo(value: number): number;
}

const Encoder = createRequire(import.meta.url)('kafkajs/src/protocol/encoder.js') as KafkaEncoderClass;

Encoder.prototype.ensureAvailable = function ensureAvailable(this: KafkaEncoder, length: number): void {
  if (this.offset + length <= this.buf.length) return;
  const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
  this.buf.copy(grown, 0, 0, this.offset);
  this.buf = grown;
};

export { Encoder as KafkaProtocolEncoder };
