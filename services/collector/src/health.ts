import { Counter, Gauge, type Registry } from 'prom-client';
import { AuthError, errorMessage, NightjarError, type Clock } from '@nightjar/core';

/** ok; failing: the last step failed and is retried; unavailable: refused (licence, consent, secret). */
export type FeedStatus = 'ok' | 'failing' | 'unavailable';

export interface FeedHealth {
  readonly tenantId: string;
  readonly feed: string;
  readonly status: FeedStatus;
  readonly lastSuccess?: number;
  readonly lastAttempt?: number;
  /** In plain words: "tenant has no Entra ID P1 licence: sign-in logs unavailable". */
  readonly lastError?: string;
  readonly lastErrorCode?: string;
  readonly consecutiveFailures: number;
  readonly eventsPublished: number;
  /** When a step first reached the present: the backfill is done. */
  readonly caughtUpAt?: number;
  /** The time up to which the feed has read everything. */
  readonly readThrough?: number;
}

/** Per tenant and feed: what worked last, what failed last and why, as metrics and for the API. */
export class CollectorHealth {
  readonly #feeds = new Map<string, FeedHealth>();
  readonly #lastSuccess: Gauge<'tenant' | 'feed'>;
  readonly #failing: Gauge<'tenant' | 'feed'>;
  readonly #caughtUp: Gauge<'tenant' | 'feed'>;
  readonly #events: Counter<'feed'>;
  readonly #errors: Counter<'feed' | 'code'>;
  constructor(registry: Registry, clock: Clock) {
    const feeds = this.#feeds;
    new Gauge({
      name: 'nightjar_collector_lag_seconds',
      help: 'How far behind the present a feed of a tenant has read everything (grows while it is stuck; absent until its backfill first reaches the present)',
      labelNames: ['tenant', 'feed'],
      registers: [registry],
      // Computed at scrape time, so a feed that stopped succeeding shows its lag growing.
      collect() {
        this.reset();
        const now = clock.now();
        for (const { tenantId, feed, readThrough } of feeds.values())
          if (readThrough !== undefined) this.set({ tenant: tenantId, feed }, Math.max(0, now - readThrough) / 1000);
      },
    });
    this.#lastSuccess = new Gauge({
      name: 'nightjar_collector_last_success_timestamp_seconds',
      help: 'When a feed of a tenant last completed a step',
      labelNames: ['tenant', 'feed'],
      registers: [registry],
    });
    this.#failing = new Gauge({
      name: 'nightjar_collector_consecutive_failures',
      help: 'Failed steps in a row for a feed of a tenant (0 when healthy)',
      labelNames: ['tenant', 'feed'],
      registers: [registry],
    });
    this.#caughtUp = new Gauge({
      name: 'nightjar_collector_caught_up',
      help: 'Whether a feed of a tenant has read up to the present once (1: backfill done)',
      labelNames: ['tenant', 'feed'],
      registers: [registry],
    });
    this.#events = new Counter({
      name: 'nightjar_collector_events_total',
      help: 'Events published',
      labelNames: ['feed'],
      registers: [registry],
    });
    this.#errors = new Counter({
      name: 'nightjar_collector_errors_total',
      help: 'Failed steps by error code (per tenant: nightjar_collector_consecutive_failures)',
      labelNames: ['feed', 'code'],
      registers: [registry],
    });
  }

  /**
   * A step committed at `at`. `readThrough`: the time up to which the feed has
   * now read everything (a step that caught up read up to when it started).
   */
  succeeded(
    tenantId: string,
    feed: string,
    events: number,
    at: number,
    caughtUp = false,
    readThrough?: number,
  ): FeedHealth {
    const previous = this.#get(tenantId, feed);
    const caughtUpAt = previous.caughtUpAt ?? (caughtUp ? at : undefined);
    const next: FeedHealth = {
      ...previous,
      status: 'ok',
      lastSuccess: at,
      lastAttempt: at,
      consecutiveFailures: 0,
      eventsPublished: previous.eventsPublished + events,
      ...(caughtUpAt === undefined ? {} : { caughtUpAt }),
      ...(readThrough === undefined ? {} : { readThrough }),
    };
    this.#feeds.set(`${tenantId}/${feed}`, next);
    this.#lastSuccess.set({ tenant: tenantId, feed }, at / 1000);
    this.#failing.set({ tenant: tenantId, feed }, 0);
    this.#caughtUp.set({ tenant: tenantId, feed }, caughtUpAt === undefined ? 0 : 1);
    this.#events.inc({ feed }, events);
    return next;
  }

  failed(tenantId: string, feed: string, error: unknown, at: number): FeedHealth {
    const previous = this.#get(tenantId, feed);
    const code = error instanceof NightjarError ? error.code : 'NJ_UNEXPECTED';
    const next: FeedHealth = {
      ...previous,
      // A refusal is the tenant's state (no licence, expired secret), not trouble a retry clears.
      status: error instanceof AuthError ? 'unavailable' : 'failing',
      lastAttempt: at,
      lastError: errorMessage(error),
      lastErrorCode: code,
      consecutiveFailures: previous.consecutiveFailures + 1,
    };
    this.#feeds.set(`${tenantId}/${feed}`, next);
    this.#failing.set({ tenant: tenantId, feed }, next.consecutiveFailures);
    this.#caughtUp.set({ tenant: tenantId, feed }, next.caughtUpAt === undefined ? 0 : 1);
    this.#errors.inc({ feed, code });
    return next;
  }

  all(): FeedHealth[] {
    return [...this.#feeds.values()];
  }

  #get(tenantId: string, feed: string): FeedHealth {
    return (
      this.#feeds.get(`${tenantId}/${feed}`) ?? {
        tenantId,
        feed,
        status: 'ok',
        consecutiveFailures: 0,
        eventsPublished: 0,
      }
    );
  }
}
