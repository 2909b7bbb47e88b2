import { NightjarError } from '@nightjar/core';
import type { DeadLetter } from '@nightjar/events';
import type { ContentType, ManagementClient } from '@nightjar/m365';
import type { AnyEvent } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';
import type { Feed, FeedStep } from './feed.ts';
import { deadLetter } from './windowed-graph-feed.ts';

export interface ContentCheckpoint {
  /** Blobs that became available before this instant (epoch ms) have been listed. */
  readonly watermark: number;
  /** Content ids already fetched, with their expiry, so a re-listed blob is never read twice. */
  readonly fetched: Readonly<Record<string, number>>;
  readonly started: boolean;
}

export interface ManagementFeedOptions {
  readonly management: ManagementClient;
  readonly contentType: ContentType;
  readonly normalize: (
    record: unknown,
    tenant: CollectorTenant,
    contentType: ContentType,
    ingestTime: number,
  ) => AnyEvent;
  readonly intervalMs?: number;
  /** Re-list this much before the watermark: blobs are listed by availability, which can lag. */
  readonly overlapMs?: number;
}

const HOUR = 3_600_000;
/** The API lists at most 24 h per call and 7 days back. */
const MAX_WINDOW_MS = 24 * HOUR;
const MAX_AGE_MS = 7 * 24 * HOUR - HOUR;

/** One Management Activity content type of one tenant: start once, list windows, fetch each blob once. */
export function managementFeed(options: ManagementFeedOptions): Feed<ContentCheckpoint> {
  const overlapMs = options.overlapMs ?? HOUR;
  const source = `management.${options.contentType}`;
  async function read(
    tenant: CollectorTenant,
    checkpoint: ContentCheckpoint | undefined,
    now: number,
  ): Promise<FeedStep<ContentCheckpoint>> {
    // A new tenant's first read goes back as far as the API keeps content (7 days), a day per step, as peers do.
    const from = Math.max(checkpoint ? checkpoint.watermark - overlapMs : now - MAX_AGE_MS, now - MAX_AGE_MS);
    const to = Math.min(now, from + MAX_WINDOW_MS);
    const fetched: Record<string, number> = {};
    for (const [id, expiry] of Object.entries(checkpoint?.fetched ?? {})) if (expiry > now) fetched[id] = expiry;
    const events: AnyEvent[] = [];
    const rejects: DeadLetter[] = [];
    for await (const blobs of options.management.content(
      tenant.credentials,
      options.contentType,
      new Date(from),
      new Date(to),
    )) {
      for (const blob of blobs) {
        if (fetched[blob.contentId] !== undefined) continue;
        const records = (await options.management.fetch(tenant.credentials, blob)) ?? [];
        for (const record of records) {
          try {
            events.push(options.normalize(record, tenant, options.contentType, now));
          } catch (error) {
            rejects.push(deadLetter(tenant, source, record, error, now));
          }
        }
        fetched[blob.contentId] = Date.parse(blob.contentExpiration) || now + 7 * 24 * HOUR;
      }
    }
    return { events, rejects, checkpoint: { watermark: to, fetched, started: true }, caughtUp: to >= now };
  }

  return {
    name: `audit:${options.contentType}`,
    api: 'management',
    intervalMs: options.intervalMs ?? 5 * 60_000,
    async step(tenant, checkpoint, now): Promise<FeedStep<ContentCheckpoint>> {
      const start = (): Promise<void> => options.management.start(tenant.credentials, options.contentType);
      if (!checkpoint?.started) await start();
      try {
        return await read(tenant, checkpoint, now);
      } catch (error) {
        if (!(error instanceof NightjarError) || error.code !== 'NJ_MS_AUDIT_NOT_SUBSCRIBED') throw error;
        // Stopped since (by an admin or a script): start it again and read on from the checkpoint.
        await start();
        return await read(tenant, checkpoint, now);
      }
    },
  };
}
