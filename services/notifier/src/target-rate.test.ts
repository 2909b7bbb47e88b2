import { afterAll, describe, expect, it } from 'vitest';
import type { StateStore } from '@nightjar/state';
import { createMemoryState } from '@nightjar/state/memory';
import { createRedisState } from '@nightjar/state/redis';
import { redisUrl, uniqueName } from '@nightjar/testkit';
import { TargetRate } from './target-rate.ts';

const MINUTE = 60_000;
const opened: StateStore[] = [];
afterAll(async () => {
  for (const state of opened.splice(0)) await state.close();
});

describe('per-target rate', () => {
  it('counts a message from when its delivery ended, so a slow send does not let the next one in early', async () => {
    let now = 1_000_000;
    const rate = new TargetRate(createMemoryState(), () => now);
    const alive = async (): Promise<void> => undefined;
    const signal = new AbortController().signal;
    const first = await rate.waitForTurn('msp/soc', 2, alive, signal);
    await rate.waitForTurn('msp/soc', 2, alive, signal);
    now += 5_000;
    await rate.ended('msp/soc', first);
    now += 55_500; // 60.5 s after the first turn, 55.5 s after its delivery ended
    let third = false;
    const waiting = rate.waitForTurn('msp/soc', 2, alive, signal).then(() => (third = true));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(third).toBe(false);
    now += 5_000;
    await waiting;
    expect(third).toBe(true);
  });

  it('keeps targets apart', async () => {
    const rate = new TargetRate(createMemoryState(), () => 5_000);
    const alive = async (): Promise<void> => undefined;
    const signal = new AbortController().signal;
    await rate.waitForTurn('msp/a', 1, alive, signal);
    await expect(rate.waitForTurn('msp/b', 1, alive, signal)).resolves.toEqual(expect.any(String));
  });
});

const stores: [string, () => StateStore][] = [
  ['memory', () => createMemoryState()],
  [
    'Redis',
    () => {
      const state = createRedisState({ url: redisUrl(), keyPrefix: `${uniqueName('rate')}:` });
      opened.push(state);
      return state;
    },
  ],
];

describe.each(stores)('per-target rate under sustained load (%s state)', (_kind, createState) => {
  it('holds the limit in every minute of 20 minutes of one alert a second', async () => {
    const perMinute = 6;
    const start = 1_700_000_000_000;
    let now = start;
    // Waiting moves the clock instead of the test's wall time.
    const rate = new TargetRate(
      createState(),
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    const signal = new AbortController().signal;
    const alive = async (): Promise<void> => undefined;
    const sent: number[] = [];
    const end = start + 20 * MINUTE;
    let nextAlert = start;
    for (;;) {
      // One alert arrives every second; those waiting for a turn are grouped into the next message.
      now = Math.max(now, nextAlert);
      const turn = await rate.waitForTurn('msp/soc', perMinute, alive, signal);
      if (now >= end) break;
      sent.push(now);
      // Every tenth delivery is slowed by retries for 40 seconds.
      now += sent.length % 10 === 0 ? 40_000 : 300;
      await rate.ended('msp/soc', turn);
      nextAlert = Math.max(nextAlert + 1_000, now);
    }
    const perCalendarMinute = Array.from(
      { length: 20 },
      (_, minute) => sent.filter((at) => Math.floor((at - start) / MINUTE) === minute).length,
    );
    expect(perCalendarMinute.filter((count) => count > perMinute)).toEqual([]);
    const busiestSlidingMinute = Math.max(
      ...sent.map((from) => sent.filter((at) => at >= from && at < from + MINUTE).length),
    );
    expect(busiestSlidingMinute).toBeLessThanOrEqual(perMinute);
    // The limit is used, not merely respected: the sender is never starved.
    expect(sent.length).toBeGreaterThanOrEqual(20 * perMinute * 0.8);
  }, 60_000);
});
