import { describe, expect, it } from 'vitest';
import { createMemoryState } from '@nightjar/state/memory';
import { TargetRate } from './target-rate.ts';

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
