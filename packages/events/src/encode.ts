import { EVENT_KINDS } from './catalog.ts';
import { encodeSingleObject } from './codec.ts';
import type { DecodedEvent } from './decode.ts';

/** An event as a bus message, the inverse of decodeEvent: keyed as its kind orders it, single-object encoded with its kind's schema. */
export function encodeEvent(item: DecodedEvent): { key: string; value: Buffer } {
  // Each kind's key function takes its own event type; the pair in `item` matches by construction.
  const spec = EVENT_KINDS[item.kind] as unknown as {
    key(event: unknown): string;
    schema: Parameters<typeof encodeSingleObject>[0];
  };
  return { key: spec.key(item.event), value: encodeSingleObject(spec.schema, item.event) };
}
