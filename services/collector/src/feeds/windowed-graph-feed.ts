import { hash } from 'node:crypto';
import { errorMessage, InvalidRecordError } from '@nightjar/core';
import type { DeadLetter } from '@nightjar/events';
import type { GraphClient } from '@nightjar/m365';
import type { AnyEvent } from '../output.ts';
import type { CollectorTenant } from '../tenants.ts';
import type { Feed, FeedName, FeedStep } from './feed.ts';

export interface WindowCheckpoint {
  /** Everything created before this instant (epoch ms) has been read at least once. */
  readonly watermark: number;
  /** Short digests of ids already published within the overlap, so a re-read publishes none twice. */
  readonly recentIds: readonly string[];
  /** Width of the next window: it grows over empty stretches of a backfill and shrinks when one is too full. */
  readonly windowMs?: number;
}

export interface WindowedGraphFeedOptions {
  readonly name: FeedName;
  readonly graph: GraphClient;
  readonly path: string;
  readonly version: 'v1.0' | 'beta';
  readonly timeProperty: 'createdDateTime' | 'activityDateTime';
  /** Added to the time filter, e.g. the non-interactive event type. */
  readonly extraFilter?: string;
  readonly normalize: (record: unknown, tenant: CollectorTenant, ingestTime: number) => AnyEvent;
  readonly source: string;
  readonly intervalMs?: number;
  /** How far back a new tenant is read (Graph keeps 30 days with P1). */
  readonly backfillMs?: number;
  /**
   * Re-read this much before the watermark each poll: Microsoft publishes sign-ins late, up to two
   * hours once MFA details settle (m365-api.md §2.4); a record older than this when it appears is lost.
   */
  readonly overlapMs?: number;
  /** Window of a step with records in it, so a backfill commits in resumable pieces. */
  readonly maxWindowMs?: number;
  /** A step that finds more new records than this is read again in a narrower window. */
  readonly maxStepRecords?: number;
}

const MINUTE = 60_000;

/** Sign-ins and directory audits: time windows, overlapping, de-duplicated by id. */
export function windowedGraphFeed(options: WindowedGraphFeedOptions): Feed<WindowCheckpoint> {
  const backfillMs = options.backfillMs ?? 30 * 24 * 60 * MINUTE;
  // Two hours of documented lateness plus one of margin.
  const overlapMs = options.overlapMs ?? 3 * 60 * MINUTE;
  // A day per request keeps a 30-day backfill at 30 requests per feed; pages, not windows, bound the size.
  const maxWindowMs = options.maxWindowMs ?? 24 * 60 * MINUTE;
  const maxStepRecords = options.maxStepRecords ?? 50_000;
  return {
    name: options.name,
    api: 'reporting',
    intervalMs: options.intervalMs ?? 5 * MINUTE,
    async step(tenant, checkpoint, now): Promise<FeedStep<WindowCheckpoint>> {
      const from = checkpoint ? Math.max(checkpoint.watermark - overlapMs, now - backfillMs) : now - backfillMs;
      const windowMs = checkpoint?.windowMs ?? maxWindowMs;
      // The window is new ground past the watermark; the overlap is read on top of it.
      const to = Math.min(now, Math.max(from, checkpoint?.watermark ?? from) + windowMs);
      const seen = new Set(checkpoint?.recentIds ?? []);
      const filter = `${options.timeProperty} ge ${iso(from)} and ${options.timeProperty} le ${iso(to)}`;
      const events: AnyEvent[] = [];
      const rejects: DeadLetter[] = [];
      const recent: string[] = [];
      const pages = options.graph.pages(tenant.credentials, {
        path: options.path,
        version: options.version,
        reporting: true,
        params: { $filter: options.extraFilter ? `${filter} and ${options.extraFilter}` : filter, $top: '1000' },
      });
      let read = 0;
      for await (const page of pages) {
        read += page.items.length;
        for (const record of page.items) {
          const id = recordId(record);
          const digest = id ? shortDigest(id) : undefined;
          // Only ids the next step will read again (inside its overlap) need remembering.
          const rememberable =
            digest !== undefined && recordTime(record, options.timeProperty) >= wholeSecond(to - overlapMs);
          if (digest && seen.has(digest)) {
            if (rememberable) recent.push(digest);
            continue;
          }
          try {
            events.push(options.normalize(record, tenant, now));
            if (rememberable) recent.push(digest);
            if (digest) seen.add(digest);
          } catch (error) {
            rejects.push(deadLetter(tenant, options.source, record, error, now));
          }
        }
        // Too much for one transaction: nothing is kept, and the same start is read again in a quarter of the window.
        // Only new records count: the overlap's re-reads publish nothing, and alone they can outgrow the limit.
        if (events.length + rejects.length > maxStepRecords && windowMs > 15 * MINUTE) {
          const narrower = { watermark: checkpoint?.watermark ?? from, recentIds: checkpoint?.recentIds ?? [] };
          return { events: [], rejects: [], checkpoint: { ...narrower, windowMs: windowMs / 4 }, caughtUp: false };
        }
      }
      // Graph answers newest first; detections count and sequence by event time, so a step goes out oldest first.
      events.sort((a, b) => a.event.time - b.event.time);
      // An empty stretch (the days before a tenant's history, a quiet night) would cost a request per
      // day of Microsoft's tight reporting budget: the window widens fast over it, back to a day at
      // records, and regrows slowly after it had to narrow.
      const nextWindowMs = read === 0 ? Math.min(windowMs * 4, backfillMs) : Math.min(windowMs * 2, maxWindowMs);
      return {
        events,
        rejects,
        checkpoint: { watermark: to, recentIds: [...new Set(recent)], windowMs: nextWindowMs },
        caughtUp: to >= now,
      };
    },
  };
}

function recordId(record: unknown): string | undefined {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

function recordTime(record: unknown, property: string): number {
  const value = (record as Record<string, unknown> | null)?.[property];
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  // Unknown time: remember it, it costs a few bytes and can never cause a duplicate.
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

function shortDigest(id: string): string {
  return hash('sha256', id, 'base64url').slice(0, 12);
}

/**
 * The filter's bounds are whole seconds (iso drops the milliseconds), so the
 * next step's overlap starts at the beginning of its second: every record it
 * will read again must be remembered, or it goes out twice.
 */
function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function deadLetter(
  tenant: CollectorTenant,
  source: string,
  record: unknown,
  error: unknown,
  now: number,
): DeadLetter {
  return {
    msp_id: tenant.mspId,
    tenant_id: tenant.tenantId,
    source,
    stage: 'collector',
    reason: error instanceof InvalidRecordError ? error.message : `normalizer failed: ${errorMessage(error)}`,
    time: now,
    payload: JSON.stringify(record) ?? 'undefined',
    location: recordId(record) ?? null,
  };
}
