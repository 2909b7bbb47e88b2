import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertReachable, parseHostPort, redisUrl, uniqueName } from '@nightjar/testkit';
import { createRedisState } from '@nightjar/state/redis';
import type { StateStore } from '@nightjar/state';
import type { Alert } from '@nightjar/events';
import { createMemorySettings } from '../settings.ts';
import { ALL_RULES } from '../rules/index.ts';
import { PLACES, T0, failedSignIn, user } from '../testing/sign-ins.ts';
import { createDetectionEngine } from './engine.ts';

/**
 * Two detector processes (two engines, two Redis connections) share one
 * Redis. Each gets every other event of a 40-user spray, concurrently: the
 * incident must come out as one alert id holding all 40 events.
 */
describe('two engines sharing Redis', () => {
  const prefix = `${uniqueName('nj-det-concurrency')}:`;
  let stores: StateStore[] = [];
  beforeAll(async () => {
    await assertReachable('Redis', parseHostPort(redisUrl()));
    stores = [
      createRedisState({ url: redisUrl(), keyPrefix: prefix }),
      createRedisState({ url: redisUrl(), keyPrefix: prefix }),
    ];
  });
  afterAll(async () => Promise.all(stores.map((store) => store.close())));

  it('raise one alert id with the full evidence count for an interleaved spray', async () => {
    const settings = createMemorySettings();
    const engines = stores.map((state) => createDetectionEngine({ state, settings, rules: ALL_RULES }));
    const events = Array.from({ length: 40 }, (_, index) =>
      failedSignIn({ user_name: user(index + 1), src_ip: '203.0.113.77', ...PLACES.moscow, time: T0 + index * 5_000 }),
    );
    const halves = [events.filter((_, index) => index % 2 === 0), events.filter((_, index) => index % 2 === 1)];
    const seen: Alert[] = [];
    await Promise.all(
      engines.map(async (engine, which) => {
        for (const event of halves[which]!) seen.push(...(await engine.process('sign-in', event)).alerts);
      }),
    );
    const spray = seen.filter((alert) => alert.rule_id === 'AUTH-005');
    expect(new Set(spray.map((alert) => alert.alert_id)).size).toBe(1);
    const latest = spray.reduce((best, alert) => (alert.revision > best.revision ? alert : best));
    expect(latest.event_count).toBe(40);
    // Every finding counted the window as its own process saw it; the union of users is the full picture.
    expect(latest.users).toHaveLength(40);
    // Revisions are unique: each update won its compare-and-set exactly once.
    expect(new Set(spray.map((alert) => alert.revision)).size).toBe(spray.length);
  });

  it('raise one alert id when findings of one incident race each other across an hour boundary', async () => {
    const settings = createMemorySettings();
    const engines = stores.map((state) => createDetectionEngine({ state, settings, rules: ALL_RULES }));
    // Incidents are bucketed by hour when no alert is open; this spray straddles 09:00.
    const events = Array.from({ length: 48 }, (_, index) =>
      failedSignIn({
        user_name: user(index + 1),
        src_ip: '203.0.113.78',
        ...PLACES.moscow,
        time: T0 - 12 * 60_000 + index * 30_000,
      }),
    );
    // Each engine takes every other user and handles all of them at once, as a batch read in catch-up is.
    const results = await Promise.all(
      engines.map((engine, which) =>
        engine.processBatch(
          events.filter((_, index) => index % 2 === which).map((event) => ({ kind: 'sign-in' as const, event })),
        ),
      ),
    );
    const spray = results.flatMap((result) => result.alerts).filter((alert) => alert.rule_id === 'AUTH-005');
    expect(new Set(spray.map((alert) => alert.alert_id)).size).toBe(1);
  });
});
