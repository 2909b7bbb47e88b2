import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { createDetectionEngine, createMemorySettings } from '@nightjar/detections';
import { failedSignIn, user } from '@nightjar/detections/testing';
import { decodeEvent, encodeEvent, type Alert, type SignIn } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { createRedisState } from '@nightjar/state/redis';
import { kafkaBrokers, redisUrl, uniqueName, waitFor } from '@nightjar/testkit';
import { Detector } from './detector.ts';

let bus: EventBus;
let state: StateStore;
const running: Detector[] = [];

beforeAll(() => {
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('republish'), sessionTimeoutMs: 10_000 });
  state = createRedisState({ url: redisUrl(), keyPrefix: `${uniqueName('republish')}:` });
});
afterAll(async () => {
  await Promise.all(running.map((detector) => detector.stop()));
  await bus.close();
  await state.close();
});

/** Twenty failures from one IP against twenty users: one password-spray alert (AUTH-005). */
function spray(prefix: string): SignIn[] {
  const start = Date.UTC(2026, 2, 2, 3, 0, 0);
  return Array.from({ length: 20 }, (_, index) =>
    failedSignIn({
      event_id: `${prefix}-${index}`,
      user_name: user(index),
      user_uid: `uid-${index}`,
      src_ip: '198.51.100.99',
      time: start + index * 20_000,
    }),
  );
}

function topicsOf(prefix: string) {
  return { signins: `${prefix}.signins`, alerts: `${prefix}.alerts`, dead: `${prefix}.dead-letters` };
}

async function startDetector(prefix: string, logLines: string[] = []): Promise<void> {
  const topics = topicsOf(prefix);
  const detector = new Detector({
    bus,
    state,
    topics: [topics.signins],
    alertTopic: topics.alerts,
    deadLetterTopic: topics.dead,
    groupId: `${prefix}-detector`,
    log: pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      }),
    ),
    metrics: new Registry(),
  });
  running.push(detector);
  await detector.start();
}

async function sprayAlerts(prefix: string): Promise<Alert[]> {
  const messages = await bus.readTopic(topicsOf(prefix).alerts).catch(() => []);
  return messages
    .map((message) => decodeEvent(message.value).event as Alert)
    .filter((alert) => alert.rule_id === 'AUTH-005');
}

describe('detector republishing', () => {
  it('publishes an alert whose first publication failed once the batch comes back, though the engine raises it only once', async () => {
    const prefix = uniqueName('publish-failed');
    const topics = topicsOf(prefix);
    // The alerts topic is missing at first, so publishing the alert fails.
    await bus.ensureTopics([
      { name: topics.signins, partitions: 1 },
      { name: topics.dead, partitions: 1 },
    ]);
    const logLines: string[] = [];
    await startDetector(prefix, logLines);
    await bus.publish(
      topics.signins,
      spray(prefix).map((event) => encodeEvent({ kind: 'sign-in', event })),
    );
    await waitFor(
      () => (logLines.some((line) => line.includes('detection failed')) ? true : undefined),
      'a failed publication',
      60_000,
      200,
    );

    await bus.ensureTopics([{ name: topics.alerts, partitions: 1 }]);
    const alerts = await waitFor(
      async () => {
        const found = await sprayAlerts(prefix);
        return found.length > 0 ? found : undefined;
      },
      'the alert published after the topic appeared',
      90_000,
      500,
    );
    expect(new Set(alerts.map((alert) => alert.alert_id)).size).toBe(1);
    expect(alerts.at(-1)).toMatchObject({ entity_type: 'ip', entity_id: '198.51.100.99' });
  }, 150_000);

  it('publishes alerts a process recorded in the state store but died before publishing', async () => {
    const prefix = uniqueName('died-before-publish');
    const topics = topicsOf(prefix);
    await bus.ensureTopics([
      { name: topics.signins, partitions: 1 },
      { name: topics.alerts, partitions: 1 },
      { name: topics.dead, partitions: 1 },
    ]);
    const events = spray(prefix);
    // What the dead process got done: every finding merged into the shared state, nothing published.
    const engine = createDetectionEngine({ state, settings: createMemorySettings() });
    const recorded = await engine.processBatch(events.map((event) => ({ kind: 'sign-in', event })));
    const sprayAlert = recorded.alerts.find((alert) => alert.rule_id === 'AUTH-005');
    expect(sprayAlert).toBeDefined();
    expect((await engine.processBatch(events.map((event) => ({ kind: 'sign-in', event })))).alerts).toEqual([]);

    await bus.publish(
      topics.signins,
      events.map((event) => encodeEvent({ kind: 'sign-in', event })),
    );
    await startDetector(prefix);
    const alerts = await waitFor(
      async () => {
        const found = await sprayAlerts(prefix);
        return found.length > 0 ? found : undefined;
      },
      'the recorded alert published by the next process',
      60_000,
      500,
    );
    expect(alerts.map((alert) => [alert.alert_id, alert.revision])).toEqual([
      [sprayAlert!.alert_id, sprayAlert!.revision],
    ]);
  }, 120_000);
});
