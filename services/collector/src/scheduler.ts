import { AuthError, isRetryable, sleep, type Clock } from '@nightjar/core';
import type { Logger } from 'pino';
import type { Feed } from './feeds/feed.ts';
import type { CollectorHealth } from './health.ts';
import type { FeedHealthReports } from './health-reports.ts';
import type { CheckpointStore, CollectorOutput } from './output.ts';
import type { CollectorTenant } from './tenants.ts';

export interface SchedulerOptions {
  readonly feedsFor: (tenant: CollectorTenant) => readonly Feed[];
  /** The tenants this process owns right now (leases decide; see ownership.ts). */
  readonly ownedTenants: () => Promise<readonly CollectorTenant[]>;
  readonly output: CollectorOutput;
  readonly checkpoints: CheckpointStore;
  readonly health: CollectorHealth;
  /** Publishes each feed's health after its steps, for processes that do not share this one's memory. */
  readonly healthReports?: FeedHealthReports;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Steps reading from Microsoft at once across all tenants; budgets, not
   * this, pace Microsoft. A step that has read and waits for its commit
   * gives its place to another, so reading goes on while a transaction is
   * in flight and the next group commit has more to carry; once that one is
   * full (CollectorOutput.backlogged), waiting steps count again, which
   * bounds the events held in memory.
   */
  readonly concurrency?: number;
  readonly tenantRefreshMs?: number;
}

interface Job {
  readonly key: string;
  readonly tenant: CollectorTenant;
  readonly feed: Feed;
  dueAt: number;
  failures: number;
  running: boolean;
  revoked?: boolean;
}

const MINUTE = 60_000;

/**
 * Runs every feed of every owned tenant in bounded steps, oldest due first.
 * A failing tenant only delays its own jobs (backoff), never the others.
 */
export class CollectorScheduler {
  readonly #options: SchedulerOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Steps still reading; the others in #inFlight wait for their commit. */
  #reading = 0;
  #wake: (() => void) | undefined;
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  #lastRefresh = Number.NEGATIVE_INFINITY;
  /** The checkpoints handed in were loaded before the first refresh; later takeovers reload theirs. */
  #refreshedOnce = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops starting steps and waits for the running ones: they commit whole or not at all. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
    await Promise.all(this.#inFlight);
  }

  jobs(): readonly { key: string; dueAt: number; failures: number; running: boolean }[] {
    return [...this.#jobs.values()].map(({ key, dueAt, failures, running }) => ({ key, dueAt, failures, running }));
  }

  async #run(): Promise<void> {
    const { clock, concurrency = 16, tenantRefreshMs = MINUTE } = this.#options;
    while (!this.#stopping.signal.aborted) {
      const now = clock.now();
      if (now - this.#lastRefresh >= tenantRefreshMs) await this.#refreshTenants(now);
      const due = [...this.#jobs.values()]
        .filter((job) => !job.running && job.dueAt <= now)
        .sort((a, b) => a.dueAt - b.dueAt);
      const busy = this.#options.output.backlogged ? this.#inFlight.size : this.#reading;
      for (const job of due.slice(0, Math.max(0, concurrency - busy))) this.#launch(job);
      const nextDue = Math.min(
        ...[...this.#jobs.values()].filter((job) => !job.running).map((job) => job.dueAt),
        now + 1_000,
      );
      // Woken early when a step finishes reading or committing: a place is free.
      await Promise.race([
        sleep(Math.max(10, Math.min(1_000, nextDue - now)), this.#stopping.signal),
        new Promise<void>((resolve) => (this.#wake = resolve)),
      ]);
      this.#wake = undefined;
    }
  }

  async #refreshTenants(now: number): Promise<void> {
    this.#lastRefresh = now;
    let tenants: readonly CollectorTenant[];
    try {
      tenants = await this.#options.ownedTenants();
    } catch (error) {
      this.#options.log.warn({ err: error }, 'could not refresh the tenant list; keeping the current one');
      return;
    }
    const wanted = new Set<string>();
    const added: Job[] = [];
    for (const tenant of tenants) {
      for (const feed of this.#options.feedsFor(tenant)) {
        const key = `${tenant.mspId}/${tenant.tenantId}/${feed.name}`;
        wanted.add(key);
        if (!this.#jobs.has(key)) added.push({ key, tenant, feed, dueAt: now, failures: 0, running: false });
      }
    }
    for (const [key, job] of this.#jobs) {
      if (wanted.has(key)) continue;
      // A step still running for a tenant given up must not commit: its new owner may already have read on.
      job.revoked = true;
      if (!job.running) this.#jobs.delete(key);
    }
    if (this.#refreshedOnce && added.length > 0) {
      try {
        await this.#options.checkpoints.refresh(added.map((job) => job.key));
      } catch (error) {
        // Starting from a stale checkpoint would publish again what the previous owner did.
        this.#options.log.warn({ err: error }, 'could not reload checkpoints of taken-over feeds; trying later');
        return;
      }
    }
    this.#refreshedOnce = true;
    for (const job of added) this.#jobs.set(job.key, job);
  }

  #launch(job: Job): void {
    job.running = true;
    this.#reading += 1;
    let reading = true;
    const doneReading = (): void => {
      if (!reading) return;
      reading = false;
      this.#reading -= 1;
      this.#wake?.();
    };
    const run = this.#step(job, doneReading).finally(() => {
      doneReading();
      job.running = false;
      this.#inFlight.delete(run);
      this.#wake?.();
    });
    this.#inFlight.add(run);
  }

  async #step(job: Job, doneReading: () => void): Promise<void> {
    const { clock, checkpoints, output, health, healthReports, log } = this.#options;
    const started = clock.now();
    try {
      const step = await job.feed.step(job.tenant, checkpoints.get(job.key), started);
      doneReading();
      if (job.revoked) {
        this.#jobs.delete(job.key);
        return;
      }
      await output.commit(job.key, step, step.checkpoint);
      checkpoints.remember(job.key, step.checkpoint);
      const tenantId = job.tenant.tenantId;
      const readThrough = step.caughtUp ? started : undefined;
      const state = health.succeeded(
        tenantId,
        job.feed.name,
        step.events.length,
        clock.now(),
        step.caughtUp,
        readThrough,
      );
      healthReports?.report(job.tenant.mspId, state);
      job.failures = 0;
      job.dueAt = step.caughtUp ? started + job.feed.intervalMs : clock.now();
    } catch (error) {
      job.failures += 1;
      const state = health.failed(job.tenant.tenantId, job.feed.name, error, clock.now());
      healthReports?.report(job.tenant.mspId, state);
      job.dueAt = clock.now() + backoffMs(error, job.failures);
      const level = job.failures === 1 || state.consecutiveFailures % 10 === 0 ? 'warn' : 'debug';
      const where = { tenant: job.tenant.tenantId, feed: job.feed.name, failures: job.failures };
      // A refusal (no licence, expired secret) is the tenant's state, not a fault of ours: no stack.
      if (error instanceof AuthError)
        log[level]({ ...where, code: error.code, reason: error.message }, 'feed unavailable for this tenant');
      else log[level]({ ...where, err: error }, 'feed step failed');
    }
  }
}

/** Retryable trouble backs off exponentially with jitter up to 5 min; refusals (licence, secret) wait 30 min. */
export function backoffMs(error: unknown, failures: number): number {
  if (error instanceof AuthError) return 30 * MINUTE;
  if (!isRetryable(error)) return 10 * MINUTE;
  const ceiling = Math.min(5 * MINUTE, 1_000 * 2 ** Math.min(failures, 12));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
