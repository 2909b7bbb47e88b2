import type { BusMessage, EventBus } from '@nightjar/bus';
import { ALL_RULES } from '@nightjar/detections';
import { decodeEvent, EVENT_KINDS, type Alert, type EventKind } from '@nightjar/events';
import type { Logger } from '@nightjar/runtime';
import type { GroundTruthLabel } from '@nightjar/simulator';
import { attackLabels, catchingAlerts, RULES_FOR_DETECTION, scoreAlerts, type EvalReport } from './eval.ts';

/** Kinds the pipeline writes rather than collects: they are not events of a feed. */
const OUTPUTS: ReadonlySet<EventKind> = new Set<EventKind>(['alert', 'delivery']);

export interface RunSummaryOptions {
  readonly bus: EventBus;
  readonly topicOf: (kind: EventKind) => string;
  /** The simulated world's ground truth. */
  readonly labels: () => readonly GroundTruthLabel[];
  readonly log: Logger;
  /**
   * True once every feed of every tenant has read up to the present or is
   * refused (a licence the tenant lacks): the backfill is over.
   */
  readonly collectionSettled: () => Promise<boolean>;
  /** How long nothing new must arrive, once collection has settled, before the run counts as played out. */
  readonly quietMs?: number;
  readonly progressEveryMs?: number;
  /** Lines printed under the scores: where the API is and how to call it. */
  readonly footer?: readonly string[];
  readonly now?: () => number;
}

export interface RunSummary {
  readonly eventsByKind: Readonly<Record<string, number>>;
  readonly events: number;
  readonly alerts: number;
  readonly report: EvalReport;
  /** Every attack the world's labels hold, observable or not. */
  readonly attacks: number;
  /** Attacks whose evidence no collector could read (the tenant lacks the licence the feed needs). */
  readonly unobservable: readonly string[];
  /** Share of the observable attacks some alert caught. */
  readonly recall: number | null;
  readonly falsePositives: number;
  /** Wall time from the start of the run to the first alert, and to the alert that caught the last attack. */
  readonly firstAlertAfterMs: number | null;
  readonly everyAttackCaughtAfterMs: number | null;
  readonly text: string;
}

export interface RunSummaryHandle {
  /** Resolves once the simulated attacks have played out and the summary is printed. */
  readonly done: Promise<RunSummary>;
  stop(): Promise<void>;
}

/**
 * Watches a run on simulated tenants from the outside: counts what the
 * collectors publish per feed (with periodic progress while the backfill
 * runs), keeps every alert, and once nothing new has arrived for `quietMs`
 * prints the alerts per rule against the world's labels and how long they
 * took.
 */
export async function startRunSummary(options: RunSummaryOptions): Promise<RunSummaryHandle> {
  const now = options.now ?? Date.now;
  const quietMs = options.quietMs ?? 5_000;
  const progressEveryMs = options.progressEveryMs ?? 10_000;
  const startedAt = now();
  const kindOfTopic = new Map((Object.keys(EVENT_KINDS) as EventKind[]).map((kind) => [options.topicOf(kind), kind]));
  const counts = new Map<EventKind, number>();
  const firstRevision = new Map<string, Alert>();
  const latestRevision = new Map<string, Alert>();
  const arrivedAt = new Map<string, number>();
  const collectedIds = new Set<string>();
  let lastArrival: number | undefined;
  let reportedAt = startedAt;

  const handle = (kind: EventKind, message: BusMessage): void => {
    lastArrival = now();
    if (kind !== 'alert') {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const event = decodeEvent(message.value).event as { event_id?: unknown };
      if (typeof event.event_id === 'string') collectedIds.add(event.event_id);
      return;
    }
    const alert = decodeEvent(message.value).event as Alert;
    if (!firstRevision.has(alert.alert_id)) {
      firstRevision.set(alert.alert_id, alert);
      arrivedAt.set(alert.alert_id, lastArrival);
    }
    const kept = latestRevision.get(alert.alert_id);
    if (!kept || kept.revision <= alert.revision) latestRevision.set(alert.alert_id, alert);
  };
  // Read, not subscribed: a consumer group would commit, and a run started again on a kept
  // journal must count the whole history, not what came since the last run's summary.
  const cursors = new Map<string, number>();
  const readNew = async (): Promise<void> => {
    for (const [topic, kind] of kindOfTopic) {
      // Feed health keeps being reported while the pipeline is otherwise quiet: not an event of a feed.
      if (kind === 'delivery' || kind === 'feed-health') continue;
      // A topic the roles have not created yet has nothing to count.
      const messages = await options.bus.readTopic(topic).catch(() => []);
      for (const message of messages) {
        const cursor = `${topic}\0${message.partition}`;
        if (Number(message.offset) < (cursors.get(cursor) ?? 0)) continue;
        cursors.set(cursor, Number(message.offset) + 1);
        handle(kind, message);
      }
    }
  };

  const eventsSoFar = (): number => [...counts.values()].reduce((sum, count) => sum + count, 0);
  let timer: NodeJS.Timeout | undefined;
  let checking = false;
  const done = new Promise<RunSummary>((resolve) => {
    const check = async (): Promise<void> => {
      await readNew();
      const at = now();
      const quiet = lastArrival !== undefined && at - lastArrival >= quietMs && eventsSoFar() > 0;
      if (quiet && (await options.collectionSettled())) {
        clearInterval(timer);
        const summary = summarize();
        options.log.info(
          {
            events: summary.events,
            eventsByKind: summary.eventsByKind,
            alerts: summary.alerts,
            recall: summary.recall,
            falsePositives: summary.falsePositives,
            unobservable: summary.unobservable.length,
            firstAlertAfterMs: summary.firstAlertAfterMs,
            everyAttackCaughtAfterMs: summary.everyAttackCaughtAfterMs,
          },
          `run summary\n${summary.text}`,
        );
        resolve(summary);
      } else if (at - reportedAt >= progressEveryMs) {
        reportedAt = at;
        options.log.info(
          { events: eventsSoFar(), eventsByKind: Object.fromEntries(counts), alerts: latestRevision.size },
          `collected ${eventsSoFar()} events and raised ${latestRevision.size} alerts so far`,
        );
      }
    };
    timer = setInterval(
      () => {
        if (checking) return;
        checking = true;
        void check().finally(() => (checking = false));
      },
      Math.min(1_000, quietMs),
    );
    timer.unref();
  });

  function summarize(): RunSummary {
    const all = options.labels();
    // An attack counts once the collectors read some of its evidence; one hidden by a missing licence cannot be caught.
    // One across tenants (credential stuffing) is seen as a whole or not at all: the MSP-wide view is what catches it.
    const seen = (label: GroundTruthLabel): boolean => label.eventIds.some((id) => collectedIds.has(id));
    const partsOf = new Map<string, GroundTruthLabel[]>();
    for (const label of all) partsOf.set(label.scenarioId, [...(partsOf.get(label.scenarioId) ?? []), label]);
    const observable = (label: GroundTruthLabel): boolean => {
      const parts = partsOf.get(label.scenarioId) ?? [label];
      const acrossTenants = new Set(parts.map((part) => part.tenantId)).size > 1;
      return acrossTenants ? parts.every(seen) : seen(label);
    };
    const unobservable = attackLabels(all).filter((label) => !observable(label));
    const labels = all.filter((label) => !unobservable.includes(label));
    const report = scoreAlerts(
      [...latestRevision.values()],
      firstRevision,
      labels,
      eventsSoFar(),
      ALL_RULES.map((rule) => rule.id),
    );
    // Rules that answer no labelled detection here (device and subscription rules) are listed, not scored.
    const scored = new Set(Object.values(RULES_FOR_DETECTION).flat());
    const attacks = report.detections.reduce((sum, detection) => sum + detection.labels, 0);
    const caught = report.detections.reduce((sum, detection) => sum + detection.detected, 0);
    const falsePositives = report.rules
      .filter((rule) => scored.has(rule.rule))
      .reduce((sum, rule) => sum + rule.falsePositives, 0);
    const arrivals = [...arrivedAt.values()];
    const latest = [...latestRevision.values()];
    const catchTimes = attackLabels(labels).flatMap((label) => {
      const times = catchingAlerts(latest, label).map((alert) => arrivedAt.get(alert.alert_id)!);
      return times.length === 0 ? [] : [Math.min(...times)];
    });
    const eventsByKind = Object.fromEntries([...counts].filter(([kind]) => !OUTPUTS.has(kind)).sort());
    const firstAlertAfterMs = arrivals.length === 0 ? null : Math.min(...arrivals) - startedAt;
    const everyAttackCaughtAfterMs = catchTimes.length === 0 ? null : Math.max(...catchTimes) - startedAt;
    const recall = attacks === 0 ? null : caught / attacks;
    const text = [
      `events collected per feed: ${Object.entries(eventsByKind)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(', ')}`,
      '',
      formatRuleLines(report, scored),
      '',
      formatDetectionLines(report),
      '',
      `attacks caught: ${caught} of ${attacks} observable (recall ${recall === null ? '-' : recall.toFixed(2)}), ` +
        `false positives ${falsePositives}, alerts ${latestRevision.size}`,
      ...(unobservable.length === 0
        ? []
        : [
            `not observable, no evidence collected (a licence the tenant lacks, or one of its tenants lacks for an ` +
              `attack across tenants; device and subscription labels name the world's records, not polled snapshots): ` +
              unobservable.map((label) => `${label.expectedDetection} in ${label.tenantId.slice(0, 8)}`).join(', '),
          ]),
      ...(report.unscored.length === 0 ? [] : [`labelled but not scored here: ${report.unscored.join(', ')}`]),
      `first alert ${seconds(firstAlertAfterMs)} after start; every caught attack alerted ${seconds(everyAttackCaughtAfterMs)} after start`,
      ...(options.footer ?? []),
    ].join('\n');
    return {
      eventsByKind,
      events: eventsSoFar(),
      alerts: latestRevision.size,
      report,
      attacks: attackLabels(all).length,
      unobservable: unobservable.map((label) => label.scenarioId),
      recall,
      falsePositives,
      firstAlertAfterMs,
      everyAttackCaughtAfterMs,
      text,
    };
  }

  return {
    done,
    stop: async () => {
      clearInterval(timer);
    },
  };
}

const seconds = (ms: number | null): string => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** Rules that raised alerts, with how they scored (or "not scored" where no label answers to them). */
function formatRuleLines(report: EvalReport, scored: ReadonlySet<string>): string {
  const lines = ['rule      alerts  true-pos  collateral  false-pos'];
  for (const rule of report.rules.filter((one) => one.alerts > 0)) {
    const judged = scored.has(rule.rule)
      ? `${String(rule.truePositives).padStart(9)} ${String(rule.collateral).padStart(11)} ${String(rule.falsePositives).padStart(10)}`
      : '  not scored (no labelled detection maps to it)';
    lines.push(`${rule.rule.padEnd(9)} ${String(rule.alerts).padStart(6)} ${judged}`);
  }
  return lines.join('\n');
}

/** Each labelled detection with attacks: how many were caught, and the event-time delay to the first alert. */
function formatDetectionLines(report: EvalReport): string {
  const lines = ['detection                    attacks  caught  recall  median delay (event time)'];
  for (const detection of report.detections.filter((one) => one.labels > 0)) {
    const sorted = [...detection.delaysMs].sort((a, b) => a - b);
    const median = sorted.length === 0 ? '-' : seconds(sorted[Math.floor(sorted.length / 2)]!);
    lines.push(
      `${detection.detection.padEnd(28)} ${String(detection.labels).padStart(7)} ${String(detection.detected).padStart(7)} ${(detection.detected / detection.labels).toFixed(2).padStart(7)}  ${median}`,
    );
  }
  return lines.join('\n');
}
