import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@nightjar/core';
import type { StateOp } from '@nightjar/state';
import { createMemoryState } from '@nightjar/state/memory';
import { createRedisState } from '@nightjar/state/redis';
import { countingState } from '../bench/counting-state.ts';
import { createStateBatcher } from './state-batcher.ts';

const HOUR = 3_600_000;
const bump: StateOp = { op: 'increment', key: 'c', by: 1, ttlMs: HOUR };

describe('state batcher', () => {
  it('sends the groups asked for in one turn as one call, each group its own results in order', async () => {
    const counted = countingState(createMemoryState());
    const batch = createStateBatcher(counted.state);
    const results = await Promise.all([
      batch([bump, bump]),
      batch([
        { op: 'set', key: 'v', value: 'x', ttlMs: HOUR },
        { op: 'get', key: 'v' },
      ]),
      batch([]),
      batch([bump]),
    ]);
    expect(results).toEqual([[1, 2], [null, 'x'], [], [3]]);
    expect(counted.calls()).toBe(1);
  });

  it('sends early once enough operations wait, and splits between groups to stay under the largest batch', async () => {
    const counted = countingState(createMemoryState());
    const batch = createStateBatcher(counted.state, { eagerOps: 10 });
    const pending = Array.from({ length: 25 }, () => batch([bump]));
    // Two eager sends of 10 happened while asking; the last 5 wait for the end of the turn.
    expect(counted.calls()).toBe(2);
    expect((await Promise.all(pending)).flat()).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(counted.calls()).toBe(3);

    const chunked = createStateBatcher(counted.state, { maxOps: 4 });
    const groups = await Promise.all([batch([bump, bump, bump]), chunked([bump, bump, bump]), chunked([bump, bump])]);
    expect(groups.slice(1)).toEqual([
      [29, 30, 31],
      [32, 33],
    ]);
    // A group is never split: 3 + 2 > 4 makes two calls, plus the other batcher's one.
    expect(counted.calls()).toBe(6);
  });

  it('answers an error in place of a failed operation and the rest of the group still runs', async () => {
    const state = createMemoryState();
    await state.set('text', 'not a window', HOUR);
    const batch = createStateBatcher(state);
    const [failed, fine] = await batch([
      { op: 'windowAdd', key: 'text', member: 'm', at: 1, windowMs: 10, ttlMs: HOUR },
      { op: 'increment', key: 'n', by: 1, ttlMs: HOUR },
    ]);
    expect(failed).toBeInstanceOf(Error);
    expect(fine).toBe(1);
  });

  it('fails every group of a batch the store could not take, with the store error', async () => {
    const unreachable = createRedisState({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
    try {
      const batch = createStateBatcher(unreachable);
      const outcomes = await Promise.allSettled([batch([{ op: 'get', key: 'a' }]), batch([{ op: 'get', key: 'b' }])]);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(DependencyUnavailableError);
      }
    } finally {
      await unreachable.close();
    }
  });
});
