import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { EventBus, MessageBatch, OutgoingMessage, Subscription } from '@nightjar/bus';
import { errorMessage, NightjarError } from '@nightjar/core';
import {
  createDetectionEngine,
  createMemorySettings,
  type DetectionEngine,
  type DetectionSettings,
  type EngineInput,
} from '@nightjar/detections';
import { decodeEvent, encodeEvent, type Alert, type DeadLetter } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';

/** How long the state store remembers the last revision of an alert that went out (alerts live days, not weeks). */
const PUBLISHED_MARK_TTL_MS = 7 * 24 * 3_600_000;

export interface DetectorOptions {
  readonly bus: EventBus;
  readonly state: StateStore;
  /** Topics of the events rules read. */
  readonly topics: readonly string[];
  readonly alertTopic: string;
  readonly deadLetterTopic: string;
  readonly groupId?: string;
  readonly log: Logger;
  readonly metrics: Registry;
  /** Per-MSP and per-tenant detection settings; empty (everything learned, defaults) when absent. */
  readonly settings?: DetectionSettings;
  /** Told about every alert revision published (the embedded mode prints them). */
  readonly onAlert?: (alert: Alert) => void;
}

/**
 * The detector: events from the bus through the detection engine, alerts to
 * the alerts topic. A batch is committed only after its alerts are published;
 * rules keep their windows in the shared state, so detector processes can
 * share partitions and a cross-tenant rule still sees every tenant. The
 * state store remembers the last revision of each alert that went out: when
 * a batch comes back after a failed publication or a crash, the engine finds
 * its evidence already merged and raises nothing new, and the marks tell
 * which of those alerts still have to go out.
 */
export class Detector {
  readonly #options: DetectorOptions;
  readonly #engine: DetectionEngine;
  readonly #alerts: Counter<'rule' | 'severity'>;
  readonly #events: Counter<'kind'>;
  readonly #errors: Counter<'kind'>;
  #subscription: Subscription | undefined;

  constructor(options: DetectorOptions) {
    this.#options = options;
    this.#engine = createDetectionEngine({
      state: options.state,
      settings: options.settings ?? createMemorySettings(),
      onConfigIssue: (issue) => options.log.warn({ issue }, 'detection settings issue'),
    });
    const registers = [options.metrics];
    this.#alerts = new Counter({
      name: 'nightjar_detector_alerts_total',
      help: 'Alert revisions published',
      labelNames: ['rule', 'severity'],
      registers,
    });
    this.#events = new Counter({
      name: 'nightjar_detector_events_total',
      help: 'Events evaluated',
      labelNames: ['kind'],
      registers,
    });
    this.#errors = new Counter({
      name: 'nightjar_detector_errors_total',
      help: 'Problems by kind: undecodable (message dead-lettered), rejected (an event a rule refused, dead-lettered), or the error code of a batch that failed and will be delivered again',
      labelNames: ['kind'],
      registers,
    });
  }

  async start(): Promise<void> {
    this.#subscription = await this.#options.bus.subscribe({
      groupId: this.#options.groupId ?? 'nightjar-detector',
      topics: this.#options.topics,
      maxBatchSize: 1_000,
      // Partitions handled together share the engine's round trips to the state store; the
      // state operations are atomic and every alert carries its own published mark.
      concurrentPartitions: 8,
      handler: (batch) => this.#handle(batch),
      onHandlerError: (error, batch) => {
        this.#errors.inc({ kind: error instanceof NightjarError ? error.code : 'unexpected' });
        this.#options.log.warn(
          { err: error, topic: batch.topic },
          'detection failed; the batch will be delivered again',
        );
      },
    });
  }

  ready(): boolean {
    return this.#subscription?.ready() ?? false;
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
  }

  async #handle(batch: MessageBatch): Promise<void> {
    const inputs: EngineInput[] = [];
    const letters: DeadLetter[] = [];
    for (const message of batch.messages) {
      try {
        const decoded = decodeEvent(message.value);
        inputs.push({ kind: decoded.kind, event: decoded.event });
        this.#events.inc({ kind: decoded.kind });
      } catch (error) {
        this.#errors.inc({ kind: 'undecodable' });
        letters.push(
          this.#letter(
            message.topic,
            `${message.topic}/${message.partition}/${message.offset}`,
            errorMessage(error),
            message.value.toString('base64'),
          ),
        );
      }
    }
    const result = await this.#engine.processBatch(inputs);
    if (result.rejects.length > 0) this.#errors.inc({ kind: 'rejected' }, result.rejects.length);
    for (const reject of result.rejects)
      letters.push(
        this.#letter(batch.topic, reject.eventId ?? '', `${reject.ruleId ?? 'engine'}: ${reject.reason}`, ''),
      );
    const unpublished = await this.#notYetPublished(result.alreadyRecorded);
    const outgoing = [...result.alerts, ...unpublished];
    if (outgoing.length > 0) {
      await this.#publishAlerts(outgoing);
      await this.#markPublished(outgoing);
    }
    for (const alert of result.alerts) {
      this.#alerts.inc({ rule: alert.rule_id, severity: alert.severity });
      this.#options.onAlert?.(alert);
    }
    if (letters.length > 0) {
      await this.#options.bus.publish(
        this.#options.deadLetterTopic,
        letters.map((letter) => encodeEvent({ kind: 'dead-letter', event: letter })),
      );
    }
  }

  /**
   * Alerts the engine found already recorded (a redelivered batch) that went
   * out at a lower revision or not at all: the process that recorded them died
   * or failed before or while publishing, and the engine will not raise them again.
   */
  async #notYetPublished(alerts: readonly Alert[]): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    const marks = await this.#options.state.execute(alerts.map((alert) => ({ op: 'get', key: publishedKey(alert) })));
    return alerts.filter((alert, index) => {
      const mark = marks[index];
      if (mark instanceof Error) throw mark;
      return mark === null || Number(mark) < alert.revision;
    });
  }

  /** Marks are written after the publication, so a crash between the two repeats a revision, never skips one. */
  async #markPublished(alerts: readonly Alert[]): Promise<void> {
    const results = await this.#options.state.execute(
      alerts.map((alert) => ({
        op: 'set',
        key: publishedKey(alert),
        value: String(alert.revision),
        ttlMs: PUBLISHED_MARK_TTL_MS,
      })),
    );
    for (const result of results) if (result instanceof Error) throw result;
  }

  /** Consumers upsert by alert id and revision, so publishing a revision again is harmless. */
  async #publishAlerts(alerts: readonly Alert[]): Promise<void> {
    const messages: OutgoingMessage[] = alerts.map((alert) => encodeEvent({ kind: 'alert', event: alert }));
    await this.#options.bus.publish(this.#options.alertTopic, messages);
  }

  #letter(source: string, location: string, reason: string, payload: string): DeadLetter {
    return {
      msp_id: 'unknown',
      tenant_id: null,
      source,
      stage: 'detector',
      reason,
      time: Date.now(),
      payload,
      location,
    };
  }
}

function publishedKey(alert: Alert): string {
  return `detector/published/${alert.msp_id}/${alert.alert_id}`;
}
