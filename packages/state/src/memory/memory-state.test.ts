import { describe, expect, it } from 'vitest';
import { describeStateContract } from '../testing/index.ts';
import { createMemoryState } from './memory-state.ts';

describeStateContract('memory', () => createMemoryState());

describe('memory state with a moved clock', () => {
  it('expires keys on the injected clock, not the wall clock', async () => {
    let now = 1_000;
    const store = createMemoryState({ clock: { now: () => now } });
    await store.set('k', 'v', 500);
    now += 499;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeNull();
  });
});
