import type { Logger } from 'pino';
import type { EventBus } from '@nightjar/bus';
import { errorMessage, type Clock } from '@nightjar/core';
import { encodeEvent } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { DEFAULT_RETRY, deliverWithRetries, type AttemptOutcome, type RetryPolicy } from '../attempts.ts';
import { isMailChannel, type Channel, type MailDocument } from '../channels/channel.ts';
import { deliveryRecord } from '../delivery-record.ts';
import type { NotificationSettings, TargetConfig } from '../notifications-file.ts';
import { parseClock } from '../routing.ts';
import type { DigestSource } from './digest-data.ts';
import { renderDigest } from './render-digest.ts';
import { localParts, previousDate, startOfLocalDay } from './zoned-time.ts';

const DONE_TTL_MS = 4 * 86_400_000;
const CLAIM_TTL_MS = 10 * 60_000;

export interface DigestSchedulerOptions {
  readonly settings: () => NotificationSettings;
  readonly source: DigestSource;
  readonly channelFor: (mspId: string, name: string, target: TargetConfig) => Channel;
  readonly state: StateStore;
  readonly bus: EventBus;
  readonly deliveriesTopic: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Unique per process; holds the claim while it sends. */
  readonly processId: string;
  readonly retry?: RetryPolicy;
  readonly tickMs?: number;
}

/**
 * Sends each MSP's daily digest, and each configured customer's, once the
 * local time passes the configured hour: the previous local day's alerts,
 * non-compliant devices and subscriptions at risk. Every process ticks; a
 * claim in the state store lets one of them send each (digest, target), and
 * a claim left by a dead process expires so another sends it.
 */
export class DigestScheduler {
  readonly #options: DigestSchedulerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  readonly #stopping = new AbortController();

  constructor(options: DigestSchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    const tick = (): void => {
      this.#running = this.#running.then(() =>
        this.tick(this.#options.clock.now()).catch((error: unknown) =>
          this.#options.log.warn({ err: error }, 'digest round failed; trying again at the next tick'),
        ),
      );
    };
    this.#timer = setInterval(tick, this.#options.tickMs ?? 60_000);
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopping.abort();
    await this.#running;
  }

  /** Sends every digest due at `now` and not sent yet; returns when done. */
  async tick(now: number): Promise<void> {
    for (const [mspId, msp] of this.#options.settings()) {
      const digest = msp.digest;
      if (!digest) continue;
      const local = localParts(now, digest.timeZone);
      if (local.minuteOfDay < parseClock(digest.at)) continue;
      const day = previousDate(local.date);
      const from = startOfLocalDay(day, digest.timeZone);
      const to = startOfLocalDay(local.date, digest.timeZone);
      const scopes: { tenantId: string | null; targets: readonly string[] }[] = [
        { tenantId: null, targets: digest.targets },
        ...Object.entries(digest.customers).map(([tenantId, targets]) => ({ tenantId, targets })),
      ];
      for (const scope of scopes) {
        const pending: string[] = [];
        for (const name of scope.targets) if (!(await this.#done(mspId, scope.tenantId, day, name))) pending.push(name);
        if (pending.length === 0) continue;
        const data = await this.#options.source.collect({ mspId, tenantId: scope.tenantId }, from, to);
        const document = renderDigest(data, scope.tenantId ? `customer ${scope.tenantId}` : mspId, day);
        for (const name of pending) {
          const target = msp.targets.get(name);
          if (target) await this.#send(mspId, scope.tenantId, day, name, target, document);
        }
      }
    }
  }

  async #done(mspId: string, tenantId: string | null, day: string, target: string): Promise<boolean> {
    return (await this.#options.state.get(`${keyOf(mspId, tenantId, day, target)}/done`)) !== null;
  }

  async #send(
    mspId: string,
    tenantId: string | null,
    day: string,
    name: string,
    target: TargetConfig,
    document: MailDocument,
  ): Promise<void> {
    const { state, processId } = this.#options;
    const key = keyOf(mspId, tenantId, day, name);
    if (!(await state.setIfAbsent(`${key}/claim`, processId, CLAIM_TTL_MS))) return;
    const channel = this.#options.channelFor(mspId, name, target);
    if (!isMailChannel(channel)) return;
    const asChannel: Channel = { kind: channel.kind, send: () => channel.sendDocument(document) };
    let attempts = 0;
    const outcome = await deliverWithRetries(
      asChannel,
      { id: document.id, mspId, severity: 'info', title: document.subject, alerts: [], update: false },
      this.#options.retry ?? DEFAULT_RETRY,
      {
        beforeAttempt: async () => ++attempts,
        afterAttempt: (attempt, result) => this.#record(mspId, tenantId, name, channel.kind, document, attempt, result),
        keepAlive: async () => undefined,
        signal: this.#stopping.signal,
      },
    );
    await state.set(`${key}/done`, outcome.status, DONE_TTL_MS);
    await state.delete(`${key}/claim`);
  }

  async #record(
    mspId: string,
    tenantId: string | null,
    target: string,
    channel: string,
    document: MailDocument,
    attempt: number,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const failed = outcome.status === 'delivered' ? undefined : outcome;
    const record = deliveryRecord(
      {
        deliveryId: `${document.id}/${target}`,
        attempt,
        mspId,
        tenantIds: tenantId ? [tenantId] : [],
        alertIds: [],
        ruleIds: [],
        severity: 'info',
        channel,
        target,
        repeated: false,
        time: this.#options.clock.now(),
      },
      outcome,
    );
    this.#options.log[outcome.status === 'delivered' ? 'info' : 'warn'](
      {
        digest: document.id,
        target,
        attempt,
        status: outcome.status,
        ...(failed ? { error: errorMessage(failed.error) } : {}),
      },
      `digest ${outcome.status}`,
    );
    await this.#options.bus.publish(this.#options.deliveriesTopic, [encodeEvent({ kind: 'delivery', event: record })]);
  }
}

const keyOf = (mspId: string, tenantId: string | null, day: string, target: string): string =>
  `notify/digest/${mspId}/${tenantId ?? 'all'}/${day}/${target}`;
