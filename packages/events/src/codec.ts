import avro from 'avsc';
import { InvalidRecordError } from '@nightjar/core';
import { rabinFingerprint } from './fingerprint.ts';

/** Avro single-object encoding: marker, 8-byte schema fingerprint, binary body. */
const MARKER = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = MARKER.length + 8;

export interface SchemaVersion {
  readonly type: avro.Type;
  /** Hex of the CRC-64-AVRO fingerprint, as it travels in every message. */
  readonly fingerprint: string;
  /** Parsing Canonical Form, what a registry stores. */
  readonly canonical: string;
}

export function schemaVersion(schema: avro.Schema | string): SchemaVersion {
  const type = avro.Type.forSchema(typeof schema === 'string' ? (JSON.parse(schema) as avro.Schema) : schema);
  const canonical = JSON.stringify(type.schema());
  return { type, canonical, fingerprint: rabinFingerprint(canonical).toString('hex') };
}

/**
 * Messages are cut from shared slabs, as Node pools small buffers. avsc's
 * toBuffer zero-filled a new buffer per value and wrote any value over 1 KiB
 * twice (its scratch space is 1 KiB); the header was then copied in front of
 * it. Here header and body are written once, in place. Slabs stay small so
 * that one message kept long does not keep much more memory alive.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafe(SLAB_BYTES);
let slabOffset = 0;
const headers = new WeakMap<SchemaVersion, Buffer>();

export function encodeSingleObject(version: SchemaVersion, value: object): Buffer {
  let header = headers.get(version);
  if (header === undefined) {
    header = Buffer.concat([MARKER, Buffer.from(version.fingerprint, 'hex')]);
    headers.set(version, header);
  }
  for (;;) {
    const start = slabOffset;
    const end = slab.length - start > HEADER_LENGTH ? version.type.encode(value, slab, start + HEADER_LENGTH) : -1;
    if (end >= 0) {
      header.copy(slab, start);
      // Eight-byte alignment keeps the next message's reads aligned, as Node's pool does.
      slabOffset = Math.min(slab.length, (end + 7) & ~7);
      return slab.subarray(start, end);
    }
    // avsc tells how many bytes were missing; a value larger than a slab gets a slab of its own.
    slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, HEADER_LENGTH + (slab.length - start) - end));
    slabOffset = 0;
  }
}

/** The writer's fingerprint (hex) of a single-object encoded message. */
export function fingerprintOf(message: Buffer): string {
  if (message.length < HEADER_LENGTH || message[0] !== MARKER[0] || message[1] !== MARKER[1]) {
    throw new InvalidRecordError('not an Avro single-object encoded message (missing the C3 01 marker)');
  }
  return message.subarray(MARKER.length, HEADER_LENGTH).toString('hex');
}

/**
 * Decodes with the reader's schema, resolving from the writer's when they
 * differ, so a consumer built on an older schema reads newer messages.
 */
export function decodeSingleObject<T>(message: Buffer, writer: SchemaVersion, reader: SchemaVersion = writer): T {
  const actual = fingerprintOf(message);
  if (actual !== writer.fingerprint) {
    throw new InvalidRecordError(`message was written with schema ${actual}, not ${writer.fingerprint}`);
  }
  const body = message.subarray(HEADER_LENGTH);
  try {
    if (reader === writer || reader.fingerprint === writer.fingerprint) return writer.type.fromBuffer(body) as T;
    return reader.type.fromBuffer(body, reader.type.createResolver(writer.type)) as T;
  } catch (error) {
    throw new InvalidRecordError(`message body does not match schema ${writer.fingerprint}`, { cause: error });
  }
}
