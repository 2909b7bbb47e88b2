import { InvalidRecordError } from '@nightjar/core';
import { EVENT_KINDS, type EventKind, type EventKinds } from './catalog.ts';
import { decodeSingleObject, fingerprintOf, type SchemaVersion } from './codec.ts';

export type DecodedEvent = { [K in EventKind]: { readonly kind: K; readonly event: EventKinds[K] } }[EventKind];

const BY_FINGERPRINT = new Map<string, { kind: EventKind; schema: SchemaVersion }>(
  (Object.keys(EVENT_KINDS) as EventKind[]).map((kind) => [
    EVENT_KINDS[kind].schema.fingerprint,
    { kind, schema: EVENT_KINDS[kind].schema },
  ]),
);

/**
 * Decodes any event by the schema fingerprint it carries. Writers on older
 * schema versions are resolved once their schema is registered with
 * `registerWriterSchema`; an unknown fingerprint is an InvalidRecordError.
 */
export function decodeEvent(message: Buffer): DecodedEvent {
  const fingerprint = fingerprintOf(message);
  const writer = WRITERS.get(fingerprint) ?? BY_FINGERPRINT.get(fingerprint);
  if (!writer) throw new InvalidRecordError(`no known schema has fingerprint ${fingerprint}`);
  const reader = EVENT_KINDS[writer.kind].schema;
  return { kind: writer.kind, event: decodeSingleObject(message, writer.schema, reader) } as DecodedEvent;
}

const WRITERS = new Map<string, { kind: EventKind; schema: SchemaVersion }>();

/** Teaches the decoder an older (or newer) writer schema of a kind, e.g. loaded from a schema registry. */
export function registerWriterSchema(kind: EventKind, schema: SchemaVersion): void {
  WRITERS.set(schema.fingerprint, { kind, schema });
}
