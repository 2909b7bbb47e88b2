import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus, Subscription } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { decodeEvent, encodeEvent, eventTopicSpecs, type Alert, type SignIn } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { createRedisState } from '@nightjar/state/redis';
import { kafkaBrokers, redisUrl, uniqueName, waitFor } from '@nightjar/testkit';
import {
  alertDifferences,
  detectionStream,
  keyByKey,
  referenceAlerts,
  settledView,
} from './testing/detection-stream.ts';
import { startNightjar, type NightjarProcess } from './testing/nightjar-process.ts';
import { withoutNightjarSettings } from './testing/simulated-tenants.ts';

const PARTITIONS = 3;
const CHUNKS = 8;
/** Chunks every detector handles before one of them is picked to die. */
const WARM_UP_CHUNKS = 2;
const HANDLED = 'nightjar_detector_events_total{kind="sign-in"}';

const stream = detectionStream();
let bus: EventBus;
let state: StateStore;
let env: NodeJS.ProcessEnv;
let prefix: string;
let alertsReader: Subscription;
/** Every alert message on the alerts topic, in the order this reader got them. */
const seen: Alert[] = [];
const processes: NightjarProcess[] = [];
/** What KafkaJS said to this test's own clients, for failure messages. */
const busLines: string[] = [];
const recordLine =
  (level: string) =>
  (fields: object, message: string): void => {
    busLines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    if (busLines.length > 40) busLines.shift();
  };

beforeAll(async () => {
  prefix = `${uniqueName('dcrash')}.`;
  env = {
    ...withoutNightjarSettings(),
    NIGHTJAR_MODE: 'distributed',
    NIGHTJAR_ROLES: 'detector',
    // The detector reads the settings MSPs keep through the API from the store; none are kept here.
    NIGHTJAR_STORE: 'chdb',
    NIGHTJAR_KAFKA_BROKERS: kafkaBrokers().join(','),
    NIGHTJAR_KAFKA_TOPIC_PREFIX: prefix,
    NIGHTJAR_KAFKA_PARTITIONS: String(PARTITIONS),
    NIGHTJAR_REDIS_URL: redisUrl(),
    NIGHTJAR_REDIS_KEY_PREFIX: `${prefix}:`,
    NIGHTJAR_ADMIN_HOST: '127.0.0.1',
    NIGHTJAR_ADMIN_PORT: '0',
    NIGHTJAR_LOG_LEVEL: 'info',
  };
  bus = createKafkaBus({
    brokers: kafkaBrokers(),
    clientId: uniqueName('dcrash-test'),
    logger: { error: recordLine('error'), warn: recordLine('warn'), info: () => undefined, debug: () => undefined },
  });
  await bus.ensureTopics(eventTopicSpecs(prefix, PARTITIONS));
  state = createRedisState({ url: redisUrl(), keyPrefix: `${prefix}:` });
  alertsReader = await bus.subscribe({
    groupId: uniqueName('dcrash-alerts'),
    topics: [`${prefix}alerts`],
    handler: async (batch) => {
      for (const message of batch.messages) seen.push(decodeEvent(message.value).event as Alert);
    },
  });
  await waitFor(() => (alertsReader.ready() ? true : undefined), 'the alerts reader in its group', 60_000).catch(
    (error: Error) => {
      throw new Error([error.message, ...busLines].join('\n'));
    },
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(processes.map((one) => one.stop()));
  await alertsReader?.stop();
  await bus?.close();
  await state?.close();
});

/** A detector with a data folder of its own for the embedded store, where it looks for stored settings. */
function detector(name: string, dataDir: string): NightjarProcess {
  const started = startNightjar(name, { ...env, NIGHTJAR_DATA_DIR: dataDir });
  processes.push(started);
  return started;
}

async function publish(events: readonly SignIn[]): Promise<void> {
  await bus.publish(
    `${prefix}signins`,
    events.map((event) => encodeEvent({ kind: 'sign-in', event })),
  );
}

/** What a consumer upserting by alert id and revision ends up with. */
function latestRevisions(alerts: readonly Alert[]): Map<string, Alert> {
  const latest = new Map<string, Alert>();
  for (const alert of alerts) {
    const kept = latest.get(alert.alert_id);
    if (!kept || kept.revision < alert.revision) latest.set(alert.alert_id, alert);
  }
  return latest;
}

/**
 * Where the engine keeps an alert's document in Redis (engine/keys.ts,
 * engine/alerts.ts): only to tell when a detector has stored a revision it
 * has not published yet, the moment worth killing it at.
 */
function alertDocumentKey(alert: Alert): string {
  const tenant = alert.tenant_id === null ? '*' : encodeURIComponent(alert.tenant_id);
  return `nj:${encodeURIComponent(alert.msp_id)}:${tenant}:${alert.rule_id}:alert:${alert.alert_id}`;
}

/** An alert revision as `id@revision rule`. */
const revisionOf = (alert: Alert): string => `${alert.alert_id}@${alert.revision} ${alert.rule_id}`;

/** Alert revisions stored in Redis that the alerts topic has not carried yet. */
async function storedNotPublished(reference: ReadonlyMap<string, Alert>): Promise<Alert[]> {
  const alerts = [...reference.values()];
  const documents = await state.execute(alerts.map((alert) => ({ op: 'get', key: alertDocumentKey(alert) })));
  const published = latestRevisions(seen);
  return documents.flatMap((document) => {
    if (document instanceof Error) throw document;
    if (typeof document !== 'string') return [];
    const stored = JSON.parse(document) as Alert;
    return stored.revision > (published.get(stored.alert_id)?.revision ?? 0) ? [stored] : [];
  });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets a stopped process run for about `microseconds`, then stops it again.
 * A timer cannot wake this test that soon, hence the busy wait: slices this
 * short stop the process between two of its Redis round trips.
 */
function runBriefly(child: ChildProcess, microseconds: number): void {
  child.kill('SIGCONT');
  const until = process.hrtime.bigint() + BigInt(microseconds * 1_000);
  while (process.hrtime.bigint() < until);
  child.kill('SIGSTOP');
}

/**
 * Runs the victim in short slices, stopped in between, until Redis holds an
 * alert revision the alerts topic lacks and keeps lacking while the victim
 * stays stopped (the live detectors publish theirs meanwhile): a revision the
 * victim stored and had yet to publish. Kills it there and returns those
 * revisions; undefined, and the victim running again, if it got through the
 * chunk without being caught in that window.
 */
async function killBetweenStoreAndPublish(
  victim: NightjarProcess,
  reference: ReadonlyMap<string, Alert>,
): Promise<Alert[] | undefined> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    runBriefly(victim.child, 200);
    let pending = await storedNotPublished(reference);
    for (let look = 0; look < 2 && pending.length > 0; look++) {
      await pause(500);
      const again = new Set((await storedNotPublished(reference)).map(revisionOf));
      pending = pending.filter((alert) => again.has(revisionOf(alert)));
    }
    if (pending.length > 0) {
      victim.child.kill('SIGKILL');
      await victim.exited;
      return pending;
    }
  }
  victim.child.kill('SIGCONT');
  return undefined;
}

/** Waits until the alerts read so far, upserted, agree with `expected` on every id it holds. */
async function untilPublished(expected: ReadonlyMap<string, Alert>, what: string, timeoutMs: number): Promise<void> {
  const agrees = (): boolean => {
    const latest = latestRevisions(seen);
    return [...expected.values()].every((alert) => {
      const got = latest.get(alert.alert_id);
      return got !== undefined && isDeepStrictEqual(settledView(got), settledView(alert));
    });
  };
  await waitFor(() => (agrees() ? true : undefined), what, timeoutMs, 250).catch((error: Error) => {
    const published = new Map([...latestRevisions(seen)].filter(([id]) => expected.has(id)));
    const differences = alertDifferences(expected, published);
    throw new Error(
      [error.message, ...differences.slice(0, 20), ...processes.map((one) => one.lastLines())].join('\n'),
    );
  });
}

function chunksOf<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / count);
  return Array.from({ length: count }, (_, index) => items.slice(index * size, (index + 1) * size));
}

describe('three detector processes over Kafka and Redis, one killed with SIGKILL mid-stream and restarted', () => {
  it('raise the alerts one embedded detector raises: none lost, none extra, each in its final state', async () => {
    const reference = await referenceAlerts([stream.body, stream.closing]);
    // The stream's premise: its alerts do not depend on how the handling of partitions interleaves.
    const byRule: Record<string, number> = {};
    for (const alert of reference.values()) byRule[alert.rule_id] = (byRule[alert.rule_id] ?? 0) + 1;
    expect(byRule).toEqual(stream.incidents);
    for (const reversed of [false, true]) {
      const drained = await referenceAlerts([keyByKey(stream.body, reversed), stream.closing]);
      expect(alertDifferences(reference, drained), `partitions drained one by one (reversed: ${reversed})`).toEqual([]);
    }

    const dirs = Array.from({ length: 3 }, () => mkdtempSync(join(tmpdir(), 'nightjar-detector-crash-')));
    const detectors = dirs.map((dir, index) => detector(`detector-${index}`, dir));
    await waitFor(
      async () => ((await Promise.all(detectors.map((one) => one.ready()))).every(Boolean) ? true : undefined),
      'three detectors in the group',
      60_000,
      200,
    ).catch((error: Error) => {
      throw new Error([error.message, ...detectors.map((one) => one.lastLines())].join('\n'));
    });

    const chunks = chunksOf(stream.body, CHUNKS);
    const warmUp = chunks.slice(0, WARM_UP_CHUNKS).flat();
    await publish(warmUp);
    const counts = await waitFor(
      async () => {
        const handled = await Promise.all(detectors.map((one) => one.metric(HANDLED)));
        return handled.reduce((sum, count) => sum + count, 0) >= warmUp.length ? handled : undefined;
      },
      'the first chunks handled',
      60_000,
      100,
    );
    // The victim holds partitions with work on them; it is killed while handling one of the next chunks.
    const victimIndex = counts.findIndex((count) => count > 0);
    const victim = detectors[victimIndex]!;
    let killedAt: { chunk: number; handled: number; unpublished: Alert[]; at: number } | undefined;
    let restarted = false;
    for (const [index, chunk] of chunks.entries()) {
      if (index < WARM_UP_CHUNKS) continue;
      if (killedAt) {
        await publish(chunk);
        if (!restarted) detectors[victimIndex] = detector(`${victim.name}-restarted`, dirs[victimIndex]!);
        restarted = true;
        await pause(200);
        continue;
      }
      const before = await victim.metric(HANDLED);
      await publish(chunk);
      const handled = await waitFor(
        async () => {
          const now = await victim.metric(HANDLED);
          return now > before ? now : undefined;
        },
        `${victim.name} to take chunk ${index} in`,
        30_000,
        5,
      );
      const unpublished = await killBetweenStoreAndPublish(victim, reference);
      if (unpublished) killedAt = { chunk: index, handled, unpublished, at: Date.now() };
    }
    if (!killedAt) {
      const documents = await state.execute(
        [...reference.values()].map((alert) => ({ op: 'get', key: alertDocumentKey(alert) })),
      );
      const found = documents.filter((document) => typeof document === 'string').length;
      throw new Error(
        `${victim.name} was never caught between storing an alert revision and publishing it; ` +
          `${found} of ${reference.size} alert documents are where the engine is expected to keep them\n${victim.lastLines()}`,
      );
    }
    if (!restarted) detectors[victimIndex] = detector(`${victim.name}-restarted`, dirs[victimIndex]!);

    // Every partition's last event belongs to an alert about one user, so that alert reaches its
    // final state only once its partition has been handled to the end, whoever took it over.
    const userAlerts = new Map([...reference].filter(([, alert]) => alert.entity_type === 'user'));
    const lastPerPartition = new Map<number, string>();
    for (const message of await bus.readTopic(`${prefix}signins`)) {
      const decoded = decodeEvent(message.value);
      if (decoded.kind === 'sign-in') lastPerPartition.set(message.partition, decoded.event.event_id);
    }
    expect(lastPerPartition.size).toBe(PARTITIONS);
    for (const [partition, eventId] of lastPerPartition)
      expect(
        [...userAlerts.values()].some((alert) => alert.event_ids.includes(eventId)),
        `partition ${partition} ends with an event of a one-user incident`,
      ).toBe(true);
    await untilPublished(userAlerts, 'every one-user alert in its final state (all partitions handled)', 90_000);
    const settledAfterMs = Date.now() - killedAt.at;

    await publish(stream.closing);
    await untilPublished(reference, 'every alert in its final state', 60_000);

    // The assertions read the topic itself, from its beginning.
    const alerts = (await bus.readTopic(`${prefix}alerts`)).map((message) => decodeEvent(message.value).event as Alert);
    const latest = latestRevisions(alerts);
    // A revision may go out twice (published, then killed before the detector noted it), but as the same document.
    const byRevision = new Map<string, Alert>();
    const conflicting: string[] = [];
    let repeated = 0;
    for (const alert of alerts) {
      const key = `${alert.alert_id}@${alert.revision}`;
      const first = byRevision.get(key);
      if (!first) byRevision.set(key, alert);
      else if (isDeepStrictEqual(first, alert)) repeated += 1;
      else conflicting.push(`${key} ${alert.rule_id}: ${first.summary} | ${alert.summary}`);
    }
    const context = [
      `${victim.name} killed during chunk ${killedAt.chunk} of ${CHUNKS} after reading ${killedAt.handled} sign-ins, with revisions stored but not published: ${killedAt.unpublished.map(revisionOf).join(', ')}`,
      `every partition handled to its end ${settledAfterMs} ms after the kill; ${alerts.length} alert messages for ${latest.size} alert ids, ${repeated} repeated revision(s)`,
      victim.lastLines(),
    ].join('\n');
    const lost = killedAt.unpublished.filter((alert) => (latest.get(alert.alert_id)?.revision ?? 0) < alert.revision);
    expect(lost.map(revisionOf), context).toEqual([]);
    expect(alertDifferences(reference, latest), context).toEqual([]);
    expect(conflicting, context).toEqual([]);

    await Promise.all(detectors.map((one) => one.stop()));
  }, 300_000);
});
