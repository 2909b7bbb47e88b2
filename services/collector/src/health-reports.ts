import type { Logger } from 'pino';
import type { Publisher } from '@nightjar/bus';
import type { Clock } from '@nightjar/core';
import { encodeEvent, type FeedHealth as FeedHealthEvent } from '@nightjar/events';
import type { FeedHealth, FeedStatus } from './health.ts';
import { topicFor, type TopicNaming } from './topics.ts';

export interface FeedHealthReportsOptions {
  readonly publisher: Publisher;
  readonly naming: TopicNaming;
  readonly clock: Clock;
  readonly log: Logger;
  /** Least time between two reports of a feed whose status has not changed. */
  readonly minIntervalMs?: number;
}

interface Sent {
  readonly status: FeedStatus;
  readonly caughtUp: boolean;
  readonly at: number;
}

/** Error messages carry no secrets already; the cap keeps a report small whatever Microsoft answered. */
const MAX_ERROR_LENGTH = 500;

/**
 * Publishes the health of each tenant's feeds for the processes that do not
 * share the collector's memory (the API in distributed mode reads it from
 * the history store). A backfill runs many steps back to back, so reports of
 * one feed are spaced by `minIntervalMs` unless its status or its caught-up
 * state changes. A report is a status, not data: it goes out with a plain
 * publish beside the steps' transactions, in order per feed, and failing to
 * publish it never fails a step (the feed's next step reports again).
 */
export class FeedHealthReports {
  readonly #options: FeedHealthReportsOptions;
  readonly #minIntervalMs: number;
  readonly #sent = new Map<string, Sent>();
  /** Per feed, the report being published and those queued behind it. */
  readonly #inFlight = new Map<string, Promise<void>>();
  #publishFailing = false;

  constructor(options: FeedHealthReportsOptions) {
    this.#options = options;
    this.#minIntervalMs = options.minIntervalMs ?? 30_000;
  }

  report(mspId: string, health: FeedHealth): void {
    const key = `${mspId}/${health.tenantId}/${health.feed}`;
    const now = this.#options.clock.now();
    const caughtUp = health.caughtUpAt !== undefined;
    const previous = this.#sent.get(key);
    if (previous?.status === health.status && previous.caughtUp === caughtUp && now - previous.at < this.#minIntervalMs)
      return;
    const sent: Sent = { status: health.status, caughtUp, at: now };
    this.#sent.set(key, sent);
    const event = feedHealthEvent(mspId, health, now);
    const queued = (this.#inFlight.get(key) ?? Promise.resolve()).then(() => this.#publish(key, sent, event));
    this.#inFlight.set(key, queued);
    void queued.finally(() => {
      if (this.#inFlight.get(key) === queued) this.#inFlight.delete(key);
    });
  }

  /** Waits for the reports in flight, so a clean stop leaves the last ones published. */
  async flush(): Promise<void> {
    await Promise.all(this.#inFlight.values());
  }

  async #publish(key: string, sent: Sent, event: FeedHealthEvent): Promise<void> {
    const { publisher, naming, log } = this.#options;
    try {
      await publisher.publish(topicFor(naming, 'feed-health'), [
        {
          ...encodeEvent({ kind: 'feed-health', event }),
          headers: { 'event-kind': 'feed-health', 'event-id': event.event_id },
        },
      ]);
      this.#publishFailing = false;
    } catch (error) {
      if (this.#sent.get(key) === sent) this.#sent.delete(key);
      // Said once while the bus refuses; a step's own failure is logged by the scheduler.
      log[this.#publishFailing ? 'debug' : 'warn'](
        { err: error, tenant: event.tenant_id, feed: event.feed },
        'could not publish feed health; the next step of the feed reports it again',
      );
      this.#publishFailing = true;
    }
  }
}

export function feedHealthEvent(mspId: string, health: FeedHealth, at: number): FeedHealthEvent {
  return {
    msp_id: mspId,
    tenant_id: health.tenantId,
    source: 'collector',
    event_id: `${mspId}/${health.tenantId}/${health.feed}@${at}`,
    time: at,
    ingest_time: at,
    feed: health.feed,
    status: health.status,
    last_success_time: health.lastSuccess ?? null,
    last_attempt_time: health.lastAttempt ?? at,
    last_error_code: health.lastErrorCode ?? null,
    last_error: health.lastError === undefined ? null : shortened(health.lastError),
    consecutive_failures: health.consecutiveFailures,
    caught_up: health.caughtUpAt !== undefined,
    read_through_time: health.readThrough ?? null,
  };
}

function shortened(text: string): string {
  return text.length <= MAX_ERROR_LENGTH ? text : `${text.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
