import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { EventBus, HandlerContext, MessageBatch, OutgoingMessage, Subscription } from '@nightjar/bus';
import { errorMessage, type Clock } from '@nightjar/core';
import { decodeEvent, encodeEvent, type Alert, type DeadLetter } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { itemOf, notificationFor, toAlertView } from './alert-view.ts';
import { AnnouncePolicy, type Decision } from './announce-policy.ts';
import { DEFAULT_RETRY, deliverWithRetries, type AttemptOutcome, type RetryPolicy } from './attempts.ts';
import type { AlertView, Channel, Notification } from './channels/channel.ts';
import { DeliveryLedger, type Started } from './delivery-ledger.ts';
import { deliveryRecord, suppressedRecord } from './delivery-record.ts';
import type { NotificationSettings, TargetConfig } from './notifications-file.ts';
import { routeAlert } from './routing.ts';
import { TargetRate } from './target-rate.ts';

export interface NotifierOptions {
  readonly bus: EventBus;
  readonly state: StateStore;
  /** Read on every batch, so a reloaded file applies without a restart. */
  readonly settings: () => NotificationSettings;
  /** Builds the channel of a configured target; called again only when the target's settings change. */
  readonly channelFor: (mspId: string, name: string, target: TargetConfig) => Channel;
  readonly alertsTopic: string;
  readonly deliveriesTopic: string;
  readonly deadLetterTopic: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: Registry;
  /** Base URL of the API, for the link to each alert. */
  readonly linkBase?: string;
  readonly retry?: RetryPolicy;
  readonly groupId?: string;
}

interface Announced {
  readonly view: AlertView;
  readonly decision: Decision;
  readonly told: string[];
  readonly held: string[];
}

interface Owed {
  readonly mspId: string;
  readonly name: string;
  readonly target: TargetConfig;
  readonly entries: { alert: AlertView; update: boolean }[];
  /** A notification an earlier process left unfinished, sent again exactly as it was. */
  readonly unfinished?: Notification;
}

/**
 * The notifier role's core: reads alerts, decides who is told, delivers and
 * records every attempt. A batch's offsets are committed only after each of
 * its deliveries succeeded or was parked, so a crash loses nothing; the
 * ledger makes the redelivered batch send only what had not gone out.
 */
export class Notifier {
  readonly #options: NotifierOptions;
  readonly #policy: AnnouncePolicy;
  readonly #ledger: DeliveryLedger;
  readonly #rate: TargetRate;
  /** Each target's channel with the fingerprint of the settings it was built from. */
  readonly #channels = new Map<string, { settings: string; channel: Channel }>();
  readonly #deliveries: Counter<'channel' | 'status'>;
  readonly #decisions: Counter<'decision'>;
  readonly #errors: Counter<'kind'>;
  #subscription: Subscription | undefined;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#policy = new AnnouncePolicy(options.state);
    this.#ledger = new DeliveryLedger(options.state);
    this.#rate = new TargetRate(options.state, () => options.clock.now());
    this.#deliveries = new Counter({
      name: 'nightjar_notifier_deliveries_total',
      help: 'Delivery attempts by channel and outcome (delivered, retrying, parked, suppressed)',
      labelNames: ['channel', 'status'],
      registers: [options.metrics],
    });
    this.#decisions = new Counter({
      name: 'nightjar_notifier_alerts_total',
      help: 'Alert revisions read, by what was decided (new, update, quiet, unrouted)',
      labelNames: ['decision'],
      registers: [options.metrics],
    });
    this.#errors = new Counter({
      name: 'nightjar_notifier_errors_total',
      help: 'Failures by kind: batch (a batch failed and is read again), delivery (an attempt failed), unreadable (an alert went to dead letters)',
      labelNames: ['kind'],
      registers: [options.metrics],
    });
  }

  async start(): Promise<void> {
    this.#subscription = await this.#options.bus.subscribe({
      groupId: this.#options.groupId ?? 'nightjar-notifier',
      topics: [this.#options.alertsTopic],
      maxBatchSize: 2_000,
      handler: (batch, context) => this.#handle(batch, context),
      onHandlerError: (error, batch) => {
        this.#errors.inc({ kind: 'batch' });
        this.#options.log.warn({ err: error, topic: batch.topic }, 'notification failed; the batch will be read again');
      },
    });
  }

  ready(): boolean {
    return this.#subscription?.ready() ?? false;
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
  }

  async #handle(batch: MessageBatch, context: HandlerContext): Promise<void> {
    const now = this.#options.clock.now();
    const alerts = await this.#decode(batch);
    const settings = this.#options.settings();
    const owed = new Map<string, Owed>();
    const announced: Announced[] = [];
    for (const alert of alerts) {
      const msp = settings.get(alert.msp_id);
      const view = toAlertView(alert, this.#options.linkBase);
      if (!msp) {
        this.#decisions.inc({ decision: 'unrouted' });
        continue;
      }
      const decision = await this.#policy.decide(view, msp.updateCadenceMs, now);
      this.#decisions.inc({ decision: decision.announcement });
      if (decision.announcement === 'quiet') continue;
      const routed = routeAlert(view, msp.routing, now);
      const held: string[] = [];
      for (const [name, route] of routed.quiet) {
        const target = msp.targets.get(name);
        if (!target) continue;
        held.push(name);
        await this.#recordSuppressed(alert.msp_id, name, target, view, `quiet hours of route "${route}"`);
      }
      const told = routed.targets.filter((name) => msp.targets.has(name));
      announced.push({ view, decision, told, held });
      for (const name of told) {
        const target = msp.targets.get(name);
        const key = ledgerKey(alert.msp_id, name);
        if (!target || (await this.#ledger.done(key, itemOf(view)))) continue;
        const entry = owed.get(key) ?? { mspId: alert.msp_id, name, target, entries: [] };
        // A target quiet hours kept the alert from has never seen it: to it, this is news.
        entry.entries.push({ alert: view, update: decision.announcement === 'update' && !decision.withheld.has(name) });
        owed.set(key, entry);
      }
    }
    for (const entry of owed.values()) {
      for (const resend of await this.#unfinished(entry)) await this.#deliver(resend, context);
      if (entry.entries.length > 0) await this.#deliver(entry, context);
    }
    for (const { view, decision, told, held } of announced) {
      await this.#policy.remember(view, now, decision, { told, held });
    }
  }

  /** The newest revision of each alert in the batch; anything else becomes a dead letter. */
  async #decode(batch: MessageBatch): Promise<Alert[]> {
    const latest = new Map<string, Alert>();
    const letters: DeadLetter[] = [];
    for (const message of batch.messages) {
      try {
        const decoded = decodeEvent(message.value);
        if (decoded.kind !== 'alert') throw new Error(`expected an alert, got a ${decoded.kind} event`);
        const seen = latest.get(decoded.event.alert_id);
        if (!seen || seen.revision < decoded.event.revision) latest.set(decoded.event.alert_id, decoded.event);
      } catch (error) {
        letters.push({
          msp_id: '',
          tenant_id: null,
          source: batch.topic,
          stage: 'notifier',
          reason: errorMessage(error),
          time: this.#options.clock.now(),
          payload: message.value.toString('base64'),
          location: `${batch.topic}/${batch.partition}/${message.offset}`,
        });
      }
    }
    if (letters.length > 0) {
      this.#errors.inc({ kind: 'unreadable' }, letters.length);
      this.#options.log.warn({ count: letters.length, topic: batch.topic }, 'unreadable alerts sent to dead letters');
      await this.#options.bus.publish(
        this.#options.deadLetterTopic,
        letters.map((letter) => encodeEvent({ kind: 'dead-letter', event: letter })),
      );
    }
    return [...latest.values()];
  }

  /**
   * Takes out of `owed` what an earlier process already began telling this
   * target and returns the notifications it left unfinished, to be sent again
   * as they were. An alert a finished notification carried is not announced
   * as new again: that process died before it could remember telling it.
   */
  async #unfinished(owed: Owed): Promise<Owed[]> {
    const key = ledgerKey(owed.mspId, owed.name);
    const last = await this.#ledger.lastNotified(
      key,
      owed.entries.map((entry) => entry.alert.alertId),
    );
    if (last.size === 0) return [];
    const kept = owed.entries.filter((entry) => {
      const notified = last.get(entry.alert.alertId);
      return notified === undefined || (notified === 'finished' && entry.update);
    });
    owed.entries.splice(0, owed.entries.length, ...kept);
    const unfinished = new Map<string, Notification>();
    for (const notified of last.values()) if (notified !== 'finished') unfinished.set(notified.id, notified);
    return [...unfinished.values()].map((notification) => ({ ...owed, entries: [], unfinished: notification }));
  }

  async #deliver(owed: Owed, context: HandlerContext): Promise<void> {
    const key = ledgerKey(owed.mspId, owed.name);
    const keepAlive = (): Promise<void> => context.heartbeat();
    const turn = await this.#rate.waitForTurn(key, owed.target.messagesPerMinute, keepAlive, context.signal);
    const notification = owed.unfinished ?? notificationFor(key, owed.entries, this.#options.linkBase);
    const items = notification.alerts.map(itemOf);
    if (!owed.unfinished) await this.#ledger.begin(key, notification);
    const channel = this.#channel(owed);
    let started: Started = { attempt: 0, repeated: false };
    const outcome = await deliverWithRetries(channel, notification, this.#options.retry ?? DEFAULT_RETRY, {
      beforeAttempt: async () => {
        started = await this.#ledger.start(key, items);
        return started.attempt;
      },
      afterAttempt: (attempt, result) => this.#record(owed, channel, notification, attempt, started.repeated, result),
      keepAlive,
      signal: context.signal,
    });
    await this.#rate.ended(key, turn);
    if (outcome.status === 'parked') await this.#park(owed, notification, outcome.error);
    await this.#ledger.finish(key, notification.id, items, outcome.status === 'delivered' ? 'delivered' : 'parked');
  }

  /** The target's channel, built anew when its settings changed (a rotated URL, token or password). */
  #channel(owed: Owed): Channel {
    const key = ledgerKey(owed.mspId, owed.name);
    const settings = createHash('sha256').update(JSON.stringify(owed.target)).digest('hex');
    const cached = this.#channels.get(key);
    if (cached?.settings === settings) return cached.channel;
    const channel = this.#options.channelFor(owed.mspId, owed.name, owed.target);
    this.#channels.set(key, { settings, channel });
    return channel;
  }

  /** Quiet hours kept the alert from this target: the delivery records say so rather than nothing. */
  async #recordSuppressed(
    mspId: string,
    name: string,
    target: TargetConfig,
    view: AlertView,
    reason: string,
  ): Promise<void> {
    this.#deliveries.inc({ channel: target.kind, status: 'suppressed' });
    const record = suppressedRecord(
      {
        deliveryId: `${notificationFor(ledgerKey(mspId, name), [{ alert: view, update: false }]).id}/${name}`,
        mspId,
        tenantIds: view.tenantIds,
        alertIds: [view.alertId],
        ruleIds: [view.ruleId],
        severity: view.severity,
        channel: target.kind,
        target: name,
        time: this.#options.clock.now(),
      },
      reason,
    );
    this.#options.log.info(
      { delivery: record.delivery_id, target: name, alert: view.alertId, reason },
      'notification suppressed',
    );
    await this.#options.bus.publish(this.#options.deliveriesTopic, [encodeEvent({ kind: 'delivery', event: record })]);
  }

  async #record(
    owed: Owed,
    channel: Channel,
    notification: Notification,
    attempt: number,
    repeated: boolean,
    outcome: AttemptOutcome,
  ): Promise<void> {
    this.#deliveries.inc({ channel: channel.kind, status: outcome.status });
    if (outcome.status !== 'delivered') this.#errors.inc({ kind: 'delivery' });
    const failed = outcome.status === 'delivered' ? undefined : outcome;
    const record = deliveryRecord(
      {
        deliveryId: `${notification.id}/${owed.name}`,
        attempt,
        mspId: owed.mspId,
        tenantIds: [...new Set(notification.alerts.flatMap((alert) => alert.tenantIds))],
        alertIds: notification.alerts.map((alert) => alert.alertId),
        ruleIds: [...new Set(notification.alerts.map((alert) => alert.ruleId))],
        severity: notification.severity,
        channel: channel.kind,
        target: owed.name,
        repeated,
        time: this.#options.clock.now(),
      },
      outcome,
    );
    const level = outcome.status === 'delivered' ? 'info' : 'warn';
    this.#options.log[level](
      {
        delivery: record.delivery_id,
        target: owed.name,
        channel: channel.kind,
        attempt,
        alerts: record.alert_ids.length,
        status: outcome.status,
        ...(repeated ? { repeated } : {}),
        ...(failed ? { error: failed.error } : {}),
      },
      `notification ${outcome.status}`,
    );
    const message: OutgoingMessage = encodeEvent({ kind: 'delivery', event: record });
    await this.#options.bus.publish(this.#options.deliveriesTopic, [message]);
  }

  /** The final failure, with what was to be sent, kept where an operator finds it. */
  async #park(owed: Owed, notification: Notification, reason: string): Promise<void> {
    const letter: DeadLetter = {
      msp_id: owed.mspId,
      tenant_id: notification.alerts[0]?.tenantId ?? null,
      source: `notification/${owed.name}`,
      stage: 'notifier',
      reason,
      time: this.#options.clock.now(),
      payload: JSON.stringify(notification),
      location: null,
    };
    await this.#options.bus.publish(this.#options.deadLetterTopic, [
      encodeEvent({ kind: 'dead-letter', event: letter }),
    ]);
  }
}

const ledgerKey = (mspId: string, target: string): string => `${mspId}/${target}`;
