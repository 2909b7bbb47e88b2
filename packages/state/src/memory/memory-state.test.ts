import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('memory state kept across a clean restart', () => {
  it('writes its keys on close and reads them back once; expired keys and a crash leave nothing stale', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nightjar-state-')), 'state.json');
    let now = 10_000;
    const clock = { now: () => now };
    const first = createMemoryState({ clock, snapshotPath: path });
    await first.execute([
      { op: 'windowAdd', key: 'w', member: 'a', at: 1, windowMs: 100, ttlMs: 60_000 },
      { op: 'windowAdd', key: 'w', member: 'b', at: 2, windowMs: 100, ttlMs: 60_000 },
      { op: 'set', key: 'short', value: 'gone soon', ttlMs: 1_000 },
      { op: 'increment', key: 'n', by: 3, ttlMs: 60_000 },
    ]);
    await first.distinctAdd('d', ['x', 'y'], 60_000);
    await first.close();
    expect(existsSync(path)).toBe(true);

    now += 5_000;
    const second = createMemoryState({ clock, snapshotPath: path });
    // Read once: a crash of this process must not bring the old copy back.
    expect(existsSync(path)).toBe(false);
    expect(await second.windowRange('w', 0, 10)).toEqual([
      { member: 'a', at: 1 },
      { member: 'b', at: 2 },
    ]);
    expect(await second.get('short')).toBeNull();
    expect(await second.increment('n', 1, 60_000)).toBe(4);
    expect(await second.distinctAdd('d', ['y', 'z'], 60_000)).toBe(3);

    const third = createMemoryState({ clock, snapshotPath: path });
    expect(await third.get('n')).toBeNull();
  });

  it('names the file when it cannot read it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nightjar-state-')), 'state.json');
    writeFileSync(path, '{not json');
    expect(() => createMemoryState({ snapshotPath: path })).toThrow(`${path} is not a detection state snapshot`);
  });
});
