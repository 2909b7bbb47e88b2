import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { ALL_RULES, createDetectionEngine, createMemorySettings, type EngineInput } from '@nightjar/detections';
import { decodeEvent, eventTopicName, type Alert, type EventKind } from '@nightjar/events';
import { createWorld, startSimulator, type RunningSimulator, type World } from '@nightjar/simulator';
import { createMemoryState } from '@nightjar/state/memory';
import {
  parseHostPort,
  redisUrl,
  startOwnKafkaBroker,
  startTcpProxy,
  uniqueName,
  waitFor,
  type OwnKafkaBroker,
  type TcpProxy,
} from '@nightjar/testkit';
import { attackLabels, catchingAlerts, RULES_FOR_DETECTION, scoreAlerts } from './eval.ts';
import { simulatedDetectionSettings } from './simulated.ts';
import { startNightjar, type NightjarProcess } from './testing/nightjar-process.ts';
import { simulatedTenantsSettings, withoutNightjarSettings } from './testing/simulated-tenants.ts';
import { WebhookReceiver } from './testing/webhook-receiver.ts';
import { worldSignIns } from './testing/world-sign-ins.ts';

/**
 * The distributed pipeline end to end: a collector, two detectors, a sink
 * with the API and a notifier as separate processes over a Kafka broker and
 * Redis, the simulator as the tenants and a webhook receiver as the SOC's
 * system. While events flow, each role is killed with SIGKILL and restarted,
 * the broker is restarted and Redis is unreachable for ten seconds; the end
 * state must still be exactly what the tenants recorded, what the detection
 * engine makes of it, and what the world's labels say must be caught.
 */
const DAYS = 3;
const MSP = 'msp-chaos';
const PLATFORM_KEY = 'platform-key-of-the-chaos-test-000000';
/** Every kind some rule reads: what the detectors consume. */
const EVIDENCE: readonly EventKind[] = [...new Set(ALL_RULES.flatMap((rule) => rule.reads))];

let world: World;
let simulator: RunningSimulator;
let broker: OwnKafkaBroker;
let redis: TcpProxy;
let receiver: WebhookReceiver;
let bus: EventBus;
let prefix: string;
let env: NodeJS.ProcessEnv;
const processes: NightjarProcess[] = [];
const root = mkdtempSync(join(tmpdir(), 'nightjar-chaos-'));

beforeAll(async () => {
  world = createWorld({ seed: 43, tenants: 3, days: DAYS, startAt: Date.now(), scenarios: 'all' });
  for (const tenant of world.tenants()) world.setFeatures(tenant.id, { entraP1: true, consented: true });
  simulator = await startSimulator({ world, clockFactor: 0 });
  broker = await startOwnKafkaBroker(join(root, 'kafka'));
  redis = await startTcpProxy(parseHostPort(redisUrl()));
  receiver = new WebhookReceiver();
  const hook = await receiver.listen();

  const notificationsFile = join(root, 'notifications.yaml');
  writeFileSync(
    notificationsFile,
    stringify({
      msps: [
        {
          id: MSP,
          targets: {
            siem: {
              kind: 'webhook',
              url: hook,
              signingSecret: 'a-signing-secret-of-32-chars-000',
              messagesPerMinute: 600,
            },
          },
          defaultTargets: ['siem'],
        },
      ],
    }),
  );
  // What the MSP configures for its customers (where they operate, their VPN egress), as a file:
  // each process here keeps its own chDB, so settings made through the API would not reach the detectors.
  const detectionFile = join(root, 'detection.yaml');
  writeFileSync(detectionFile, stringify(simulatedDetectionSettings(world, MSP)));
  prefix = `${uniqueName('chaos')}.`;
  env = {
    ...withoutNightjarSettings(),
    NIGHTJAR_MODE: 'distributed',
    NIGHTJAR_STORE: 'chdb',
    NIGHTJAR_KAFKA_BROKERS: broker.brokers.join(','),
    NIGHTJAR_KAFKA_TOPIC_PREFIX: prefix,
    NIGHTJAR_KAFKA_PARTITIONS: '3',
    // A killed member's partitions move on after 10 s rather than the default 30 s: the failover a SOC would tune for.
    NIGHTJAR_KAFKA_SESSION_TIMEOUT_MS: '10000',
    NIGHTJAR_REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    NIGHTJAR_REDIS_KEY_PREFIX: `${prefix}:`,
    NIGHTJAR_ADMIN_HOST: '127.0.0.1',
    NIGHTJAR_ADMIN_PORT: '0',
    NIGHTJAR_API_HOST: '127.0.0.1',
    NIGHTJAR_API_PORT: '0',
    NIGHTJAR_API_PLATFORM_KEY: PLATFORM_KEY,
    NIGHTJAR_LOG_LEVEL: 'info',
    ...simulatedTenantsSettings(simulator, world, MSP, root),
    // A day more than the history holds, so the window's start cannot cut off its first sign-ins.
    NIGHTJAR_COLLECTOR_BACKFILL_DAYS: String(DAYS + 1),
    NIGHTJAR_COLLECTOR_LEASE_MS: '3000',
    NIGHTJAR_NOTIFIER_FILE: notificationsFile,
    NIGHTJAR_DETECTION_FILE: detectionFile,
  };
  bus = createKafkaBus({ brokers: broker.brokers, clientId: uniqueName('chaos-reader') });
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(processes.map((one) => one.stop()));
  await bus?.close();
  await broker?.stop();
  await redis?.close();
  await receiver?.close();
  await simulator?.close();
});

/** One role (or roles) in a process of its own, with its own data folder kept across restarts. */
function role(name: string, roles: string, extra: NodeJS.ProcessEnv = {}): () => NightjarProcess {
  const dataDir = mkdtempSync(join(root, `${name}-`));
  return () => {
    const started = startNightjar(
      name,
      { ...env, ...extra, NIGHTJAR_ROLES: roles, NIGHTJAR_DATA_DIR: dataDir },
      join(root, `${name}.log`),
    );
    processes.push(started);
    return started;
  };
}

const COLLECTED = /^nightjar_collector_events_total\{[^}]*\} (\d+)/gm;
const DETECTED = /^nightjar_detector_events_total\{[^}]*\} (\d+)/gm;
const SUNK = /^nightjar_sink_rows_total\{[^}]*\} (\d+)/gm;
const LAG = /^nightjar_consumer_lag\{[^}]*\} (\d+)/gm;
const NOT_CAUGHT_UP = /^nightjar_collector_caught_up\{[^}]*\} 0$/m;

/** Kills `victim` with SIGKILL once `busy` says it has done some work, and starts it again. */
async function killAndRestart(
  victim: NightjarProcess,
  busy: () => Promise<boolean>,
  restart: () => NightjarProcess,
  chaos: string[],
): Promise<NightjarProcess> {
  await waitFor(
    async () => ((await busy().catch(() => false)) ? true : undefined),
    `${victim.name} to work`,
    120_000,
    50,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${victim.lastLines()}`);
  });
  victim.child.kill('SIGKILL');
  await victim.exited;
  chaos.push(`${new Date().toISOString()} killed ${victim.name} with SIGKILL`);
  return restart();
}

/** Every event of `kind` on its topic, in topic order. */
async function eventsOf<T>(kind: EventKind): Promise<T[]> {
  const messages = await bus.readTopic(eventTopicName(prefix, kind));
  return messages.map((message) => decodeEvent(message.value).event as T);
}

interface ApiAlert {
  readonly alert_id: string;
  readonly rule_id: string;
  readonly revision: number;
}

async function apiPages<T>(url: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page = new URL(url);
    page.searchParams.set('limit', '1000');
    if (cursor) page.searchParams.set('cursor', cursor);
    const response = await fetch(page, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`${page.pathname} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { items: T[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

/** How many expected ids a list lacks, and how many it holds that were not expected. */
function difference(expected: ReadonlySet<string>, got: readonly string[]): { missing: number; extra: number } {
  const have = new Set(got);
  return {
    missing: [...expected].filter((id) => !have.has(id)).length,
    extra: [...have].filter((id) => !expected.has(id)).length,
  };
}

/** `items` less one occurrence of each of `taken`: what one list holds that the other does not. */
function without(items: readonly string[], taken: readonly string[]): string[] {
  const left = [...taken];
  return items.filter((item) => {
    const at = left.indexOf(item);
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** The engine in process over every event the collector published, in event-time order: what the detectors must raise. */
async function referenceAlerts(): Promise<Map<string, Alert>> {
  const inputs: (EngineInput & { time: number })[] = [];
  for (const kind of EVIDENCE) {
    for (const event of await eventsOf<{ time: number }>(kind)) inputs.push({ kind, event, time: event.time });
  }
  inputs.sort((a, b) => a.time - b.time);
  const engine = createDetectionEngine({
    state: createMemoryState(),
    settings: createMemorySettings(simulatedDetectionSettings(world, MSP)),
  });
  const latest = new Map<string, Alert>();
  for (let index = 0; index < inputs.length; index += 500) {
    for (const alert of (await engine.processBatch(inputs.slice(index, index + 500))).alerts)
      latest.set(alert.alert_id, alert);
  }
  return latest;
}

describe('the distributed pipeline under chaos', () => {
  it('ends exactly where the tenants and the detection engine say it must', async () => {
    const startedAt = Date.now();
    const chaos: string[] = [];
    const collector = role('collector', 'collector', { NIGHTJAR_KAFKA_TRANSACTIONAL_ID: 'collector-0' });
    const detectorA = role('detector-a', 'detector');
    const detectorB = role('detector-b', 'detector');
    const sinkApi = role('sink-api', 'sink,api');
    const notifier = role('notifier', 'notifier');
    const running = {
      collector: collector(),
      detectorA: detectorA(),
      detectorB: detectorB(),
      sinkApi: sinkApi(),
      notifier: notifier(),
    };
    const everyone = (): NightjarProcess[] => Object.values(running);
    const diagnosis = (): string =>
      [
        ...chaos,
        `every process's output is in ${root}/<name>.log`,
        ...everyone().map((one) => one.lastLines()),
        '--- broker ---',
        broker.logTail(15),
      ].join('\n');

    try {
      running.collector = await killAndRestart(
        running.collector,
        async () => (await running.collector.metricSum(COLLECTED)) > 0,
        collector,
        chaos,
      );
      running.detectorA = await killAndRestart(
        running.detectorA,
        async () => (await running.detectorA.metricSum(DETECTED)) > 0,
        detectorA,
        chaos,
      );
      await redis.outage(10_000);
      chaos.push(`${new Date().toISOString()} Redis was unreachable for 10 s`);
      await broker.restart();
      chaos.push(`${new Date().toISOString()} restarted the Kafka broker`);
      running.sinkApi = await killAndRestart(
        running.sinkApi,
        async () => (await running.sinkApi.metricSum(SUNK)) > 0,
        sinkApi,
        chaos,
      );
      running.notifier = await killAndRestart(
        running.notifier,
        async () => receiver.received.length > 0,
        notifier,
        chaos,
      );

      // Settled: every process is ready (a restarted consumer may wait long for its group to let it
      // in, and reports no lag meanwhile), the collector has reached the present on every feed, and
      // no consumer has anything left.
      const settled = async (): Promise<boolean> => {
        if (!(await Promise.all(everyone().map((one) => one.ready()))).every(Boolean)) return false;
        const metrics = await Promise.all(everyone().map((one) => one.metricsText()));
        const collectorMetrics = metrics[0]!;
        if (!/^nightjar_collector_caught_up\{/m.test(collectorMetrics)) return false;
        if (NOT_CAUGHT_UP.test(collectorMetrics)) return false;
        return metrics.every((text) => [...text.matchAll(LAG)].every((match) => match[1] === '0'));
      };
      let quietSince = 0;
      await waitFor(
        async () => {
          const now = Date.now();
          if (!(await settled().catch(() => false))) quietSince = 0;
          else quietSince ||= now;
          // Settled for a while: nothing is still in a handler between two fetches.
          return quietSince > 0 && now - quietSince > 15_000 ? true : undefined;
        },
        'the pipeline to settle',
        240_000,
        1_000,
      ).catch(async (error: Error) => {
        const unsettled = await Promise.all(
          everyone().map(async (one) => {
            const text = await one.metricsText().catch(() => 'unreachable');
            const ready = await one.ready().catch(() => false);
            const lines = text
              .split('\n')
              .filter((line) =>
                /^nightjar_collector_(caught_up\{.*\} 0|consecutive_failures\{.*\} [1-9]|errors_total|last_success)|^nightjar_consumer_lag\{.*\} [1-9]/.test(
                  line,
                ),
              );
            return `${one.name}${ready ? '' : ' (not ready)'}: ${lines.join('; ') || 'settled'}`;
          }),
        );
        throw new Error([error.message, ...unsettled, diagnosis()].join('\n'));
      });
      const settledAt = Date.now();

      // Sign-ins: every one the tenants recorded, once on Kafka and once in ClickHouse.
      const expected = new Set(worldSignIns(world).map(({ record }) => String(record['id'])));
      const onKafka = (await eventsOf<{ event_id: string }>('sign-in')).map((event) => event.event_id);
      expect(onKafka.length, diagnosis()).toBe(new Set(onKafka).size);
      expect(difference(expected, onKafka), diagnosis()).toEqual({ missing: 0, extra: 0 });

      const api = await running.sinkApi.apiUrl;
      const issued = await fetch(`${api}/v1/msps/${MSP}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PLATFORM_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'analyst', name: 'chaos test' }),
      });
      expect(issued.status).toBe(201);
      const { key } = (await issued.json()) as { key: string };
      const exported = await fetch(`${api}/v1/signins/export?format=ndjson&max=1000000`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const stored = (await exported.text())
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { event_id: string }).event_id);
      expect(stored.length, 'sign-in rows in ClickHouse').toBe(new Set(stored).size);
      expect(difference(expected, stored), `sign-ins in ClickHouse\n${diagnosis()}`).toEqual({ missing: 0, extra: 0 });

      // Alerts: what the engine raises over the same events, each once on the topic's latest revision and in ClickHouse.
      const reference = await referenceAlerts();
      const published = new Map<string, Alert>();
      const firstRevision = new Map<string, Alert>();
      for (const alert of await eventsOf<Alert>('alert')) {
        if (!firstRevision.has(alert.alert_id)) firstRevision.set(alert.alert_id, alert);
        const kept = published.get(alert.alert_id);
        if (!kept || kept.revision < alert.revision) published.set(alert.alert_id, alert);
      }
      // Compared as incidents (rule and entity, one per time bucket): when partitions are handled at
      // different paces a different event of an incident may be the one that completes it.
      const incidents = (alerts: Iterable<Alert>): string[] =>
        [...alerts].map((alert) => `${alert.rule_id} ${alert.entity_type}:${alert.entity_id}`).sort();
      const expectedIncidents = incidents(reference.values());
      const raised = incidents(published.values());
      const missing = without(expectedIncidents, raised);
      const extra = without(raised, expectedIncidents);
      const show = (alert: Alert): string =>
        `${alert.alert_id}@${alert.revision} ${new Date(alert.first_seen).toISOString()}..${new Date(alert.last_seen).toISOString()} ${alert.event_count} events`;
      const sides = [...new Set([...missing, ...extra])].map((incident) => {
        const of = (alerts: Iterable<Alert>): string =>
          [...alerts]
            .filter((alert) => `${alert.rule_id} ${alert.entity_type}:${alert.entity_id}` === incident)
            .map(show)
            .join('; ');
        return `${incident}: expected [${of(reference.values())}], raised [${of(published.values())}]`;
      });
      expect({ missing, extra }, [...sides, diagnosis()].join('\n')).toEqual({ missing: [], extra: [] });
      const labels = attackLabels(world.labels());
      const caught = (alerts: readonly Alert[]): string[] =>
        labels.filter((label) => catchingAlerts(alerts, label).length > 0).map((label) => label.scenario);
      expect(caught([...published.values()])).toEqual(caught([...reference.values()]));
      // And against the ground truth itself, so an attack both sides miss still fails the test: every
      // labelled attack a rule answers is caught, and no alert lands on ordinary traffic or a near miss.
      // (Device and subscription rules answer no label here: their labels name the world's records.)
      const scored = new Set(Object.values(RULES_FOR_DETECTION).flat());
      const score = scoreAlerts(
        [...published.values()],
        firstRevision,
        world.labels(),
        0,
        ALL_RULES.map((rule) => rule.id),
      );
      const missed = score.detections
        .filter((detection) => detection.detected < detection.labels)
        .map((detection) => `${detection.detection} ${detection.detected}/${detection.labels}`);
      const falseAlarms = score.rules
        .filter((rule) => scored.has(rule.rule) && rule.falsePositives > 0)
        .map((rule) => `${rule.rule} ${rule.falsePositives} (${rule.onNearMisses} on near misses)`);
      expect({ missed, falseAlarms }, diagnosis()).toEqual({ missed: [], falseAlarms: [] });

      const inStore = await apiPages<ApiAlert>(`${api}/v1/alerts`, key);
      expect(inStore.length, 'alert rows in ClickHouse').toBe(new Set(inStore.map((alert) => alert.alert_id)).size);
      expect(new Map(inStore.map((alert) => [alert.alert_id, alert.revision]))).toEqual(
        new Map([...published.values()].map((alert) => [alert.alert_id, alert.revision])),
      );

      // Notifications: every alert told exactly once as new (a repeat after a crash carries the same id).
      const announced = new Map<string, Set<string>>();
      const firstReceipt = new Map<string, number>();
      for (const notification of receiver.received) {
        for (const alert of notification.alerts) {
          if (!firstReceipt.has(alert.alert_id)) firstReceipt.set(alert.alert_id, notification.receivedAt);
          if (notification.update) continue;
          announced.set(alert.alert_id, (announced.get(alert.alert_id) ?? new Set()).add(notification.id));
        }
      }
      const toldTwice = [...announced].filter(([, ids]) => ids.size > 1).map(([id]) => id);
      const neverTold = [...published.keys()].filter((id) => !announced.has(id));
      const unknown = [...announced.keys()].filter((id) => !published.has(id));
      expect({ toldTwice, neverTold, unknown }, diagnosis()).toEqual({ toldTwice: [], neverTold: [], unknown: [] });

      // Figures: events through the whole pipeline, and from an event's arrival at the collector to its alert and notification.
      const ingest = new Map<string, number>();
      for (const kind of EVIDENCE)
        for (const event of await eventsOf<{ event_id: string; ingest_time: number }>(kind))
          ingest.set(event.event_id, event.ingest_time);
      const toAlert: number[] = [];
      const toNotification: number[] = [];
      for (const [id, alert] of firstRevision) {
        const arrived = Math.max(...alert.event_ids.map((eventId) => ingest.get(eventId) ?? 0));
        if (arrived === 0) continue;
        toAlert.push(alert.created_time - arrived);
        const told = firstReceipt.get(id);
        if (told !== undefined) toNotification.push(told - arrived);
      }
      const seconds = (settledAt - startedAt) / 1000;
      process.stdout.write(
        `${[
          `chaos run: ${ingest.size} events collected, ${published.size} alerts, ${receiver.received.length} webhook posts in ${seconds.toFixed(0)} s ` +
            `(${(ingest.size / seconds).toFixed(0)} events/s end to end, chaos included)`,
          `arrival at the collector to alert: p50 ${percentile(toAlert, 0.5)} ms, p99 ${percentile(toAlert, 0.99)} ms`,
          `arrival at the collector to notification: p50 ${percentile(toNotification, 0.5)} ms, p99 ${percentile(toNotification, 0.99)} ms`,
          `labelled attacks caught: ${score.detections.reduce((sum, detection) => sum + detection.detected, 0)} of ` +
            `${score.detections.reduce((sum, detection) => sum + detection.labels, 0)} scored (device and subscription labels are not)`,
          ...chaos,
        ].join('\n')}\n`,
      );
    } finally {
      await Promise.allSettled(everyone().map((one) => one.stop()));
    }
  }, 900_000);
});
