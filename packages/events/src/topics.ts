import { EVENT_KINDS, type EventKind } from './catalog.ts';

/** Where each kind of event is published: one topic per kind, under a deployment's prefix. */
export function eventTopicName(prefix: string, kind: EventKind): string {
  return `${prefix}${EVENT_KINDS[kind].topic}`;
}

const WEEK_MS = 7 * 24 * 3_600_000;
/** Kinds whose newest message per key is all that matters. */
const STATE_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['tenant-capability', 'feed-health']);

/**
 * Every event topic with its size and retention: events keep a week (ClickHouse holds the
 * history); tenant capabilities and feed health are state, so their topics are compacted. Shaped as the
 * bus's TopicSpec.
 */
export function eventTopicSpecs(
  prefix: string,
  partitions: number,
): { name: string; partitions: number; retentionMs?: number; compacted?: boolean }[] {
  return (Object.keys(EVENT_KINDS) as EventKind[]).map((kind) => ({
    name: eventTopicName(prefix, kind),
    partitions,
    ...(STATE_KINDS.has(kind) ? { compacted: true } : { retentionMs: WEEK_MS }),
  }));
}
