import { hash } from 'node:crypto';
import { NightjarError } from '@nightjar/core';
import type { DeadLetter } from '@nightjar/events';
import type { ContentBlob, ContentType, ManagementClient } from '@nightjar/m365';
import type { AnyEvent } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';
import type { Feed, FeedStep } from './feed.ts';
import { deadLetter } from './windowed-graph-feed.ts';

export interface ContentCheckpoint {
  /** Blobs that became available before this instant (epoch ms) have been listed. */
  readonly watermark: number;
  /**
   * Content ids already fetched, with their contentCreated (epoch ms), so a
   * re-listed blob is never read twice. Only blobs a later listing can still
   * return are kept.
   */
  readonly fetched: Readonly<Record<string, number>>;
  /**
   * Short digests of the audit record Ids those blobs held, grouped by the
   * blob's contentCreated (epoch ms, as the key): Microsoft repeats records
   * across blobs, and a repeat must not be published twice.
   */
  readonly recordIds?: Readonly<Record<string, readonly string[]>>;
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
const DAY = 24 * HOUR;
/** The API lists at most 24 h per call and 7 days back. */
const MAX_WINDOW_MS = DAY;
const MAX_AGE_MS = 7 * DAY - HOUR;
/** Content stays fetchable this long after it became available. */
const CONTENT_LIFETIME_MS = 7 * DAY;

/** Answers that mean the subscription is off, and that starting it again is the cure (m365 contract §8.3). */
const SUBSCRIPTION_OFF: ReadonlySet<string> = new Set([
  'NJ_MS_AUDIT_NOT_SUBSCRIBED',
  'NJ_MS_AUDIT_SUBSCRIPTION_DISABLED',
]);

/**
 * One Management Activity content type of one tenant: start once, list
 * windows, fetch each blob once and publish each record once.
 */
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
    const memory = ContentMemory.from(checkpoint, now);
    const events: AnyEvent[] = [];
    const rejects: DeadLetter[] = [];
    for await (const blobs of options.management.content(
      tenant.credentials,
      options.contentType,
      new Date(from),
      new Date(to),
    )) {
      for (const blob of blobs) {
        if (memory.fetched(blob.contentId)) continue;
        const created = createdAt(blob, now);
        const content = await options.management.fetch(tenant.credentials, blob);
        if ('unavailable' in content && content.unavailable === 'expired') rejects.push(lostBlob(tenant, blob, now));
        for (const record of 'records' in content ? content.records : []) {
          const digest = recordDigest(record);
          if (digest !== undefined && memory.published(digest)) {
            // Seen again: it may come a third time, so it is remembered as long as this blob is.
            memory.rememberRecord(digest, created);
            continue;
          }
          try {
            events.push(options.normalize(record, tenant, options.contentType, now));
          } catch (error) {
            rejects.push(deadLetter(tenant, source, record, error, now));
          }
          // A repeat of a record that went to the dead letters would only go there again.
          if (digest !== undefined) memory.rememberRecord(digest, created);
        }
        memory.rememberBlob(blob.contentId, created);
      }
    }
    // The next listing starts at `to - overlapMs`, cut to its second by the API's time format: a blob
    // created before that can never be listed again. Records are kept as long as their blob, so a repeat
    // is recognised when it comes within the overlap; the contract promises no bound on repeats.
    const relistableFrom = Math.floor((to - overlapMs) / 1000) * 1000;
    return {
      events,
      rejects,
      checkpoint: { watermark: to, ...memory.keptFrom(relistableFrom), started: true },
      caughtUp: to >= now,
    };
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
        if (!(error instanceof NightjarError) || !SUBSCRIPTION_OFF.has(error.code)) throw error;
        // Stopped or disabled since (by an admin or a script): start it again and read on from the checkpoint.
        await start();
        return await read(tenant, checkpoint, now);
      }
    },
  };
}

/** What a step remembers of the blobs and records it has seen, each with the contentCreated of its blob. */
class ContentMemory {
  readonly #blobs = new Map<string, number>();
  readonly #records = new Map<string, number>();

  static from(checkpoint: ContentCheckpoint | undefined, now: number): ContentMemory {
    const memory = new ContentMemory();
    for (const [contentId, time] of Object.entries(checkpoint?.fetched ?? {})) {
      // Checkpoints written before contentCreated was kept hold the expiry, which lies in the future.
      memory.#blobs.set(contentId, time > now ? time - CONTENT_LIFETIME_MS : time);
    }
    for (const [created, digests] of Object.entries(checkpoint?.recordIds ?? {}))
      for (const digest of digests) memory.#records.set(digest, Number(created));
    return memory;
  }

  fetched(contentId: string): boolean {
    return this.#blobs.has(contentId);
  }

  published(digest: string): boolean {
    return this.#records.has(digest);
  }

  rememberBlob(contentId: string, created: number): void {
    this.#blobs.set(contentId, created);
  }

  rememberRecord(digest: string, created: number): void {
    this.#records.set(digest, Math.max(created, this.#records.get(digest) ?? created));
  }

  keptFrom(since: number): Pick<ContentCheckpoint, 'fetched' | 'recordIds'> {
    const fetched: Record<string, number> = {};
    for (const [contentId, created] of this.#blobs) if (created >= since) fetched[contentId] = created;
    const recordIds: Record<string, string[]> = {};
    for (const [digest, created] of this.#records)
      if (created >= since) (recordIds[String(created)] ??= []).push(digest);
    return { fetched, recordIds };
  }
}

function createdAt(blob: ContentBlob, now: number): number {
  const created = Date.parse(blob.contentCreated);
  // Without a readable time the blob is kept as if new: a few bytes, never a duplicate.
  return Number.isNaN(created) ? now : created;
}

/** The audit record's `Id` (a GUID in every workload's common schema), shortened as the sign-in feed does. */
function recordDigest(record: unknown): string | undefined {
  const id = (record as { Id?: unknown } | null)?.Id;
  return typeof id === 'string' && id !== '' ? hash('sha256', id, 'base64url').slice(0, 12) : undefined;
}

/** Content expired before it was read (AF20051): its records are gone for good, and the gap is kept on record. */
function lostBlob(tenant: CollectorTenant, blob: ContentBlob, now: number): DeadLetter {
  return {
    msp_id: tenant.mspId,
    tenant_id: tenant.tenantId,
    source: `management.${blob.contentType}`,
    stage: 'collector',
    reason: `content ${blob.contentId} of ${blob.contentType} expired before it was read (AF20051): its audit records are lost`,
    time: now,
    payload: JSON.stringify(blob),
    location: blob.contentId,
  };
}
