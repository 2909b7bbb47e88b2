import { EVENT_KINDS, type EventKind } from './catalog.ts';

/** Where each kind of event is published: one topic per kind, under a deployment's prefix. */
export function eventTopicName(prefix: string, kind: EventKind): string {
  return `${prefix}${EVENT_KINDS[kind].topic}`;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Every event topic with its size and retention: events keep a week (ClickHouse holds the
 * history); tenant capabilities are state, so their topic is compacted. Shaped as the bus's TopicSpec.
 */
export function eventTopicSpecs(
  prefix: string,
  partitions: number,
): { name: string; partitions: number; retentionMs?: number; compacted?: boolean }[] {
  return (Object.keys(EVENT_KINDS) as EventKind[]).map((kind) => ({
    name: eventTopicName(prefix, kind),
    partitions,
    ...(kind === 'tenant-capability' ? { compacted: true } : { retentionMs: WEEK_MS }),
  }));
}
