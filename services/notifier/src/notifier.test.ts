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
import { createTelegramChannel } from './channels/telegram.ts';
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
  publishUnreadable(text: string): Promise<void>;
  /** Replaces the settings of `msp-n`, as a change through the API does. */
  reconfigure(msp: Record<string, unknown>): void;
  slackUrl(path: string): string;
  slackMessages(path?: string): string[];
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
  const slackUrl = (path: string): string => `${simulator.urls.slack}/services/${path}`;
  const settingsOf = (msp: Record<string, unknown>) =>
    parseNotifications(JSON.stringify({ msps: [{ id: 'msp-n', ...msp }] }), 'test');
  let settings = settingsOf({
    targets: {
      'soc-slack': {
        kind: 'slack',
        webhookUrl: slackUrl(webhookPath),
        messagesPerMinute: options.messagesPerMinute ?? 6,
      },
    },
    defaultTargets: ['soc-slack'],
  });
  const state = createRedisState({ url: redisUrl(), keyPrefix: `${prefix}:` });
  states.push(state);
  const metrics = new Registry();
  const notifier = new Notifier({
    bus,
    state,
    settings: () => settings,
    channelFor: (_msp, _name, target) => {
      if (target.kind === 'slack') return createSlackChannel({ webhookUrl: new Secret(target.webhookUrl), dispatcher });
      if (target.kind === 'telegram')
        return createTelegramChannel({
          apiUrl: target.apiUrl,
          botToken: new Secret(target.botToken),
          chatId: target.chatId,
          dispatcher,
        });
      throw new Error('only Slack and Telegram here');
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
    publishUnreadable: (text) => bus.publish(topics.alerts, [{ value: Buffer.from(text), key: 'unreadable' }]),
    reconfigure: (msp) => {
      settings = settingsOf(msp);
    },
    slackUrl,
    slackMessages: (path = webhookPath) =>
      simulator.context.captured.slack
        .filter((message) => message.path === path)
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

  it('sends to a target’s new URL as soon as it is changed, without a restart', async () => {
    const harness = await startNotifier();
    await harness.publish(alert('rotate-1'));
    await waitFor(async () => (harness.slackMessages().length === 1 ? true : undefined), 'the first message', 20_000);
    const rotatedPath = `T1/B2/${harness.prefix}-rotated`;
    harness.reconfigure({
      targets: { 'soc-slack': { kind: 'slack', webhookUrl: harness.slackUrl(rotatedPath) } },
      defaultTargets: ['soc-slack'],
    });
    await harness.publish(alert('rotate-2'));
    await waitFor(
      async () => (harness.slackMessages(rotatedPath).length === 1 ? true : undefined),
      'the second message at the new URL',
      20_000,
    );
    expect(harness.slackMessages(rotatedPath)[0]).toContain('entity-rotate-2');
    expect(harness.slackMessages()).toHaveLength(1);
  }, 60_000);

  it('records what quiet hours held back and tells a later severity rise to that target as news', async () => {
    const harness = await startNotifier();
    const dayPath = `T1/B3/${harness.prefix}-day`;
    const nightPath = `T1/B4/${harness.prefix}-night`;
    const clockOf = (at: number): string => new Date(at).toISOString().slice(11, 16);
    harness.reconfigure({
      targets: {
        'day-slack': { kind: 'slack', webhookUrl: harness.slackUrl(dayPath) },
        'night-slack': { kind: 'slack', webhookUrl: harness.slackUrl(nightPath) },
      },
      routes: [
        { name: 'always', targets: ['day-slack'] },
        {
          name: 'night-shift',
          targets: ['night-slack'],
          quietHours: { from: clockOf(Date.now() - 3_600_000), to: clockOf(Date.now() + 3_600_000), except: 'high' },
        },
      ],
    });
    await harness.publish(alert('hush-1', { severity: 'medium' }));
    const suppressed = async (): Promise<Delivery[]> =>
      (await harness.deliveries()).filter((record) => record.status === 'suppressed');
    await waitFor(async () => ((await suppressed()).length === 1 ? true : undefined), 'the suppression record', 20_000);
    await waitFor(
      async () => (harness.slackMessages(dayPath).length === 1 ? true : undefined),
      'the day message',
      20_000,
    );
    expect((await suppressed())[0]).toMatchObject({
      alert_ids: ['hush-1'],
      target: 'night-slack',
      channel: 'slack',
      error: expect.stringContaining('quiet hours') as unknown,
    });
    expect(harness.slackMessages(nightPath)).toEqual([]);

    await harness.publish(alert('hush-1', { revision: 2, severity: 'high', event_count: 40 }));
    await waitFor(
      async () =>
        harness.slackMessages(dayPath).length === 2 && harness.slackMessages(nightPath).length === 1 ? true : undefined,
      'the rise at both targets',
      20_000,
    );
    expect(harness.slackMessages(dayPath)[1]).toContain('Update:');
    expect(harness.slackMessages(nightPath)[0]).toContain('entity-hush-1');
    expect(harness.slackMessages(nightPath)[0]).not.toContain('Update:');
    expect(await suppressed()).toHaveLength(1);
  }, 60_000);

  it('tells an alert quiet hours kept from every target as new once it may be sent', async () => {
    const harness = await startNotifier();
    const clockOf = (at: number): string => new Date(at).toISOString().slice(11, 16);
    harness.reconfigure({
      targets: { 'soc-slack': { kind: 'slack', webhookUrl: harness.slackUrl(harness.webhookPath) } },
      routes: [
        {
          name: 'night-shift',
          targets: ['soc-slack'],
          quietHours: { from: clockOf(Date.now() - 3_600_000), to: clockOf(Date.now() + 3_600_000), except: 'high' },
        },
      ],
    });
    await harness.publish(alert('hush-2', { severity: 'low' }));
    await waitFor(
      async () => ((await harness.deliveries()).some((record) => record.status === 'suppressed') ? true : undefined),
      'the suppression record',
      20_000,
    );
    await harness.publish(alert('hush-2', { revision: 2, severity: 'critical' }));
    await waitFor(async () => (harness.slackMessages().length === 1 ? true : undefined), 'the rise', 20_000);
    expect(harness.slackMessages()[0]).not.toContain('Update:');
    expect(await counter(harness.metrics, 'nightjar_notifier_alerts_total', { decision: 'new' })).toBe(2);
  }, 60_000);

  it('delivers every alert exactly once after Slack answered 429 and 503 for a while, and records each attempt', async () => {
    const harness = await startNotifier();
    simulator.context.faults.add({ kind: '429', endpoint: 'slack', count: 3, retryAfterSeconds: 1 });
    simulator.context.faults.add({ kind: '503', endpoint: 'slack', count: 3 });
    const ids = ['storm-1', 'storm-2', 'storm-3', 'storm-4'];
    await harness.publishUnreadable('not an alert');
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
    expect(await counter(harness.metrics, 'nightjar_notifier_errors_total', { kind: 'delivery' })).toBe(
      records.filter((record) => record.status === 'retrying').length,
    );
    expect(await counter(harness.metrics, 'nightjar_notifier_errors_total', { kind: 'unreadable' })).toBe(1);
  }, 90_000);

  it('turns a burst of 1,000 alerts into at most the configured messages per minute, reaching every alert', async () => {
    const harness = await startNotifier({ messagesPerMinute: 4, partitions: 3 });
    const chatId = `${harness.prefix}-chat`;
    harness.reconfigure({
      targets: {
        'soc-slack': { kind: 'slack', webhookUrl: harness.slackUrl(harness.webhookPath), messagesPerMinute: 4 },
        'soc-telegram': {
          kind: 'telegram',
          apiUrl: simulator.urls.telegram,
          botToken: '4242:burst-token',
          chatId,
          messagesPerMinute: 4,
        },
      },
      defaultTargets: ['soc-slack', 'soc-telegram'],
    });
    const ids = Array.from({ length: 1_000 }, (_, index) => `burst-${String(index).padStart(4, '0')}`);
    // Created a second apart, so a list link that covers an alert says something about that alert.
    const createdAt = new Map(ids.map((id, index) => [id, Date.now() - 2_000_000 + index * 1_000]));
    for (let start = 0; start < ids.length; start += 100) {
      await harness.publish(
        ...ids.slice(start, start + 100).map((id) => alert(id, { created_time: createdAt.get(id)! })),
      );
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
    const deliveredTo = (target: string): string[] =>
      delivered
        .filter((record) => record.target === target)
        .flatMap((record) => record.alert_ids)
        .sort();
    expect(deliveredTo('soc-slack')).toEqual(ids);

    await waitFor(
      async () => (deliveredTo('soc-telegram').length === ids.length ? true : undefined),
      'every alert delivered to Telegram',
      150_000,
      500,
    );
    expect(deliveredTo('soc-telegram')).toEqual(ids);
    const telegram = simulator.context.captured.telegram.filter(
      (message) => (message.body as { chat_id?: unknown }).chat_id === chatId,
    );
    const telegramAt = telegram.map((message) => message.at);
    expect(
      Math.max(...telegramAt.map((start) => telegramAt.filter((at) => at >= start && at < start + 60_000).length)),
    ).toBeLessThanOrEqual(4);
    const texts = telegram.map((message) => String((message.body as { text: string }).text));
    const windows = texts.flatMap((text) => {
      const href = /and \d+ more: <a href="([^"]+)">all \d+ in Nightjar<\/a>$/.exec(text)?.[1];
      if (!href) return [];
      const link = new URL(href.replaceAll('&amp;', '&'));
      expect(link.origin + link.pathname).toBe('https://nightjar.example.com/v1/alerts');
      return [{ from: Date.parse(link.searchParams.get('from')!), to: Date.parse(link.searchParams.get('to')!) }];
    });
    expect(windows.length).toBeGreaterThan(0);
    const unreachable = ids.filter(
      (id) =>
        !texts.some((text) => text.includes(`entity-${id}`)) &&
        !windows.some(({ from, to }) => createdAt.get(id)! >= from && createdAt.get(id)! < to),
    );
    expect(unreachable).toEqual([]);
  }, 330_000);
});
