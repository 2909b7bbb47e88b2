import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { Agent } from 'undici';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { testAlert } from '@nightjar/detections/testing';
import { Secret, systemClock } from '@nightjar/core';
import { decodeEvent, encodeEvent, type Alert, type Delivery } from '@nightjar/events';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import type { StateStore } from '@nightjar/state';
import { createRedisState } from '@nightjar/state/redis';
import { kafkaBrokers, redisUrl, uniqueName, waitFor } from '@nightjar/testkit';
import { createSlackChannel } from './channels/slack.ts';
import { parseNotifications } from './notifications-file.ts';
import { Notifier } from './notifier.ts';

let simulator: RunningSimulator;
let bus: EventBus;
let dispatcher: Agent;
const opened: { stop(): Promise<void> }[] = [];
const states: StateStore[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ world: createWorld({ seed: 5, tenants: 1, days: 1, scenarios: 'none' }) });
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('notifier-test') });
  dispatcher = new Agent({ connect: { ca: simulator.caCertPem } });
});
afterEach(async () => {
  for (const notifier of opened.splice(0)) await notifier.stop();
  for (const state of states.splice(0)) await state.close();
  simulator.context.faults.clear();
});
afterAll(async () => {
  await bus.close();
  await dispatcher.close();
  await simulator.close();
});

interface Harness {
  readonly prefix: string;
  readonly webhookPath: string;
  readonly metrics: Registry;
  publish(...alerts: Alert[]): Promise<void>;
  slackMessages(): string[];
  deliveries(): Promise<Delivery[]>;
}

/** A notifier on its own topics and Slack webhook, routing everything of `msp-n` to Slack. */
async function startNotifier(options: { messagesPerMinute?: number; partitions?: number } = {}): Promise<Harness> {
  const prefix = uniqueName('notify');
  const topics = { alerts: `${prefix}.alerts`, deliveries: `${prefix}.deliveries`, dead: `${prefix}.dead-letters` };
  await bus.ensureTopics([
    { name: topics.alerts, partitions: options.partitions ?? 3 },
    { name: topics.deliveries, partitions: 1 },
    { name: topics.dead, partitions: 1 },
  ]);
  const webhookPath = `T1/B1/${prefix}`;
  const settings = parseNotifications(
    JSON.stringify({
      msps: [
        {
          id: 'msp-n',
          targets: {
            'soc-slack': {
              kind: 'slack',
              webhookUrl: `${simulator.urls.slack}/services/${webhookPath}`,
              messagesPerMinute: options.messagesPerMinute ?? 6,
            },
          },
          defaultTargets: ['soc-slack'],
        },
      ],
    }),
    'test',
  );
  const state = createRedisState({ url: redisUrl(), keyPrefix: `${prefix}:` });
  states.push(state);
  const metrics = new Registry();
  const notifier = new Notifier({
    bus,
    state,
    settings: () => settings,
    channelFor: (_msp, _name, target) => {
      if (target.kind !== 'slack') throw new Error('only Slack here');
      return createSlackChannel({ webhookUrl: new Secret(target.webhookUrl), dispatcher });
    },
    alertsTopic: topics.alerts,
    deliveriesTopic: topics.deliveries,
    deadLetterTopic: topics.dead,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    metrics,
    linkBase: 'https://nightjar.example.com',
    groupId: `${prefix}-notifier`,
    retry: { maxAttempts: 8, baseBackoffMs: 200, maxBackoffMs: 2_000 },
  });
  await notifier.start();
  opened.push(notifier);
  await waitFor(async () => (notifier.ready() ? true : undefined), 'the notifier to join its group', 30_000);
  return {
    prefix,
    webhookPath,
    metrics,
    publish: (...alerts) =>
      bus.publish(
        topics.alerts,
        alerts.map((event) => ({ ...encodeEvent({ kind: 'alert', event }), key: event.alert_id })),
      ),
    slackMessages: () =>
      simulator.context.captured.slack
        .filter((message) => message.path === webhookPath)
        .map((message) => JSON.stringify(message.body)),
    deliveries: async () =>
      (await bus.readTopic(topics.deliveries)).map((message) => {
        const decoded = decodeEvent(message.value);
        if (decoded.kind !== 'delivery') throw new Error(`unexpected ${decoded.kind}`);
        return decoded.event;
      }),
  };
}

function alert(id: string, overrides: Partial<Alert> = {}): Alert {
  const now = Date.now();
  return testAlert({
    alert_id: id,
    msp_id: 'msp-n',
    entity_id: `entity-${id}`,
    summary: `12 users failed from one IP (${id})`,
    first_seen: now - 60_000,
    event_count: 12,
    ips: ['203.0.113.9'],
    countries: ['NL'],
    ...overrides,
  });
}

async function counter(metrics: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.getMetricsAsJSON()).find((entry) => entry.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string> }[];
  return values
    .filter((value) => Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted))
    .reduce((sum, value) => sum + value.value, 0);
}

describe('notifier over real Kafka and Redis, into the simulator’s Slack', () => {
  it('tells a new alert once, stays quiet while it grows, and tells again when its severity rises', async () => {
    const harness = await startNotifier();
    await harness.publish(alert('spray-1'));
    await waitFor(async () => (harness.slackMessages().length === 1 ? true : undefined), 'the first message', 20_000);
    expect(harness.slackMessages()[0]).toContain('entity-spray-1');
    expect(harness.slackMessages()[0]).toContain('https://nightjar.example.com/v1/alerts/spray-1');

    await harness.publish(alert('spray-1', { revision: 2, event_count: 30 }));
    await waitFor(
      async () =>
        (await counter(harness.metrics, 'nightjar_notifier_alerts_total', { decision: 'quiet' })) >= 1
          ? true
          : undefined,
      'the growth to be judged',
      20_000,
    );
    expect(harness.slackMessages()).toHaveLength(1);

    await harness.publish(alert('spray-1', { revision: 3, severity: 'high', event_count: 80 }));
    await waitFor(async () => (harness.slackMessages().length === 2 ? true : undefined), 'the update', 20_000);
    expect(harness.slackMessages()[1]).toMatch(/high/i);
    const delivered = (await harness.deliveries()).filter((record) => record.status === 'delivered');
    expect(delivered.map((record) => record.alert_ids)).toEqual([['spray-1'], ['spray-1']]);
    expect(delivered.every((record) => record.channel === 'slack' && record.target === 'soc-slack')).toBe(true);
    expect(JSON.stringify(await harness.deliveries())).not.toContain(harness.webhookPath);
  }, 60_000);

  it('delivers every alert exactly once after Slack answered 429 and 503 for a while, and records each attempt', async () => {
    const harness = await startNotifier();
    simulator.context.faults.add({ kind: '429', endpoint: 'slack', count: 3, retryAfterSeconds: 1 });
    simulator.context.faults.add({ kind: '503', endpoint: 'slack', count: 3 });
    const ids = ['storm-1', 'storm-2', 'storm-3', 'storm-4'];
    await harness.publish(...ids.map((id) => alert(id)));
    const named = (id: string): number =>
      harness.slackMessages().filter((text) => text.includes(`entity-${id}`)).length;
    await waitFor(async () => (ids.every((id) => named(id) >= 1) ? true : undefined), 'every alert in Slack', 60_000);
    expect(ids.map(named)).toEqual([1, 1, 1, 1]);
    const records = await harness.deliveries();
    expect(records.filter((record) => record.status === 'retrying').length).toBeGreaterThanOrEqual(6);
    expect(records.some((record) => record.provider_status === 429)).toBe(true);
    expect(records.some((record) => record.provider_status === 503)).toBe(true);
    const delivered = records.filter((record) => record.status === 'delivered');
    expect(delivered.flatMap((record) => record.alert_ids).sort()).toEqual(ids);
    expect(records.some((record) => record.repeated)).toBe(false);
  }, 90_000);

  it('turns a burst of 1,000 alerts into at most the configured messages per minute, naming every alert', async () => {
    const harness = await startNotifier({ messagesPerMinute: 4, partitions: 3 });
    const ids = Array.from({ length: 1_000 }, (_, index) => `burst-${String(index).padStart(4, '0')}`);
    for (let start = 0; start < ids.length; start += 100) {
      await harness.publish(...ids.slice(start, start + 100).map((id) => alert(id)));
    }
    const everyoneNamed = (): boolean => {
      const all = harness.slackMessages().join('\n');
      return ids.every((id) => all.includes(`entity-${id}`));
    };
    await waitFor(async () => (everyoneNamed() ? true : undefined), 'every alert named in Slack', 150_000, 500);
    const sentAt = simulator.context.captured.slack
      .filter((message) => message.path === harness.webhookPath)
      .map((message) => message.at);
    const busiestMinute = Math.max(
      ...sentAt.map((start) => sentAt.filter((at) => at >= start && at < start + 60_000).length),
    );
    expect(busiestMinute).toBeLessThanOrEqual(4);
    const delivered = (await harness.deliveries()).filter((record) => record.status === 'delivered');
    expect(delivered.flatMap((record) => record.alert_ids).sort()).toEqual(ids);
  }, 180_000);
});
