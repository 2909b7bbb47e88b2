import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventBus, Publisher } from '@nightjar/bus';
import { createMemoryBus } from '@nightjar/bus/memory';
import { AuthError, DependencyUnavailableError, NightjarError } from '@nightjar/core';
import { decodeEvent, type FeedHealth as FeedHealthEvent } from '@nightjar/events';
import { CollectorHealth } from './health.ts';
import { FeedHealthReports } from './health-reports.ts';
import { collectorTopics, topicFor } from './topics.ts';

const T0 = Date.UTC(2026, 0, 5, 12);
// One partition, so the order of a feed's reports on the topic is the order they were published in.
const naming = { prefix: 'health-reports-test.', partitions: 1 };
const log = pino({ level: 'silent' });

async function memoryBus(): Promise<EventBus> {
  const bus = createMemoryBus();
  await bus.ensureTopics(collectorTopics(naming));
  return bus;
}

async function reported(bus: EventBus): Promise<FeedHealthEvent[]> {
  const messages = await bus.readTopic(topicFor(naming, 'feed-health'));
  return messages
    .map((message) => decodeEvent(message.value))
    .flatMap((decoded) => (decoded.kind === 'feed-health' ? [decoded.event] : []));
}

describe('feed health reports', () => {
  it('reports a feed at most every 30 s while its status holds, and at once when it changes', async () => {
    const bus = await memoryBus();
    let now = T0;
    const clock = { now: () => now };
    const health = new CollectorHealth(new Registry(), clock);
    const reports = new FeedHealthReports({ publisher: bus, naming, clock, log });

    // A backfill: steps back to back, one report for all of them until 30 s have passed.
    for (let step = 0; step < 5; step++) {
      now = T0 + step * 1_000;
      reports.report('msp-1', health.succeeded('t1', 'signins', 100, now, false));
    }
    now = T0 + 30_000;
    reports.report('msp-1', health.succeeded('t1', 'signins', 100, now, false));
    // Reaching the present is news: reported at once.
    now += 1_000;
    reports.report('msp-1', health.succeeded('t1', 'signins', 3, now, true, now - 500));
    // Throttled by Microsoft: failing now, reported at once; the retries that fail too are not.
    now += 1_000;
    reports.report('msp-1', health.failed('t1', 'signins', new NightjarError('NJ_MS_THROTTLED', 'throttled'), now));
    now += 1_000;
    reports.report('msp-1', health.failed('t1', 'signins', new NightjarError('NJ_MS_THROTTLED', 'throttled'), now));
    // Another feed is reported on its own schedule.
    reports.report('msp-1', health.succeeded('t1', 'users', 4, now, true, now));
    await reports.flush();

    // Order holds per feed; across feeds it is the report time that tells.
    const events = (await reported(bus)).sort((a, b) => a.time - b.time);
    expect(events.map((event) => [event.feed, event.status, event.time - T0, event.caught_up])).toEqual([
      ['signins', 'ok', 0, false],
      ['signins', 'ok', 30_000, false],
      ['signins', 'ok', 31_000, true],
      ['signins', 'failing', 32_000, true],
      ['users', 'ok', 33_000, true],
    ]);
    expect(events[3]).toMatchObject({
      msp_id: 'msp-1',
      tenant_id: 't1',
      source: 'collector',
      last_success_time: T0 + 31_000,
      last_attempt_time: T0 + 32_000,
      last_error_code: 'NJ_MS_THROTTLED',
      last_error: 'throttled',
      consecutive_failures: 1,
      read_through_time: T0 + 30_500,
    });
    expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
  });

  it('tells a refusal (no licence, expired secret) as unavailable, with a short message', async () => {
    const bus = await memoryBus();
    const clock = { now: () => T0 };
    const health = new CollectorHealth(new Registry(), clock);
    const reports = new FeedHealthReports({ publisher: bus, naming, clock, log });
    const refusal = new AuthError('NJ_MS_NO_P1', 'tenant has no Entra ID P1 licence: sign-in logs unavailable');
    reports.report('msp-1', health.failed('t2', 'signins', refusal, T0));
    const verbose = new DependencyUnavailableError('ms', `Microsoft answered 503: ${'x'.repeat(5_000)}`);
    reports.report('msp-1', health.failed('t2', 'users', verbose, T0));
    await reports.flush();

    const [signins, users] = await reported(bus);
    expect(signins).toMatchObject({
      feed: 'signins',
      status: 'unavailable',
      last_success_time: null,
      last_error_code: 'NJ_MS_NO_P1',
      last_error: 'tenant has no Entra ID P1 licence: sign-in logs unavailable',
      consecutive_failures: 1,
      caught_up: false,
      read_through_time: null,
    });
    expect(users).toMatchObject({ feed: 'users', status: 'failing', last_error_code: 'NJ_MS_UNAVAILABLE' });
    expect(users!.last_error!.length).toBeLessThanOrEqual(500);
  });

  it('never throws when the bus refuses a report, and the next step of the feed reports again', async () => {
    const bus = await memoryBus();
    let refusing = true;
    const publisher: Publisher = {
      publish: async (topic, messages) => {
        if (refusing) throw new DependencyUnavailableError('kafka', 'broker unreachable');
        await bus.publish(topic, messages);
      },
    };
    const warnings: string[] = [];
    const watching = pino(
      { level: 'debug' },
      {
        write: (line: string) => {
          if ((JSON.parse(line) as { level: number }).level === 40) warnings.push(line);
        },
      },
    );
    let now = T0;
    const clock = { now: () => now };
    const health = new CollectorHealth(new Registry(), clock);
    const reports = new FeedHealthReports({ publisher, naming, clock, log: watching });

    reports.report('msp-1', health.succeeded('t1', 'signins', 1, now, true, now));
    await reports.flush();
    now += 1_000;
    reports.report('msp-1', health.succeeded('t1', 'signins', 1, now, true, now));
    await reports.flush();
    expect(warnings).toHaveLength(1);
    expect(await reported(bus)).toEqual([]);

    refusing = false;
    now += 1_000;
    reports.report('msp-1', health.succeeded('t1', 'signins', 1, now, true, now));
    await reports.flush();
    expect((await reported(bus)).map((event) => event.time)).toEqual([now]);
  });
});
