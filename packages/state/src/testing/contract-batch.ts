import { describe, expect, it } from 'vitest';
import type { StateOp } from '../port.ts';
import type { ContractContext } from './contract.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

export function describeBatchContract({ store, key }: ContractContext): void {
  describe('batches (execute)', () => {
    it('runs operations in order, each with the meaning of its single call', async () => {
      const [window, value, counter, first, latest] = ['w', 'v', 'c', 'k', 's'].map(key) as [
        string,
        string,
        string,
        string,
        string,
      ];
      const ops: StateOp[] = [
        { op: 'windowAdd', key: window, member: 'a', at: T0 + 1000, windowMs: 60_000, ttlMs: HOUR },
        { op: 'windowAdd', key: window, member: 'b', at: T0 + 2000, windowMs: 60_000, ttlMs: HOUR },
        { op: 'windowAdd', key: window, member: 'a', at: T0 + 3000, windowMs: 60_000, ttlMs: HOUR },
        { op: 'windowRange', key: window, from: T0, to: T0 + 10_000 },
        { op: 'windowRange', key: window, from: T0, to: T0 + 10_000, limit: 1 },
        { op: 'get', key: value },
        { op: 'set', key: value, value: 'one', ttlMs: HOUR },
        { op: 'get', key: value },
        { op: 'increment', key: counter, by: 2, ttlMs: HOUR },
        { op: 'increment', key: counter, by: 3, ttlMs: HOUR },
        { op: 'keepFirst', key: first, value: 'first', ttlMs: HOUR },
        { op: 'keepFirst', key: first, value: 'second', ttlMs: HOUR },
        { op: 'swap', key: latest, value: 'x', ttlMs: HOUR },
        { op: 'swap', key: latest, value: 'y', ttlMs: HOUR },
        { op: 'delete', key: value },
        { op: 'get', key: value },
      ];
      expect(await store().execute(ops)).toEqual([
        { count: 1, added: true },
        { count: 2, added: true },
        { count: 2, added: false },
        // a, seen again, moved to its latest sighting.
        [
          { member: 'b', at: T0 + 2000 },
          { member: 'a', at: T0 + 3000 },
        ],
        [{ member: 'b', at: T0 + 2000 }],
        null,
        null,
        'one',
        2,
        5,
        null,
        'first',
        null,
        'x',
        null,
        null,
      ]);
      expect(await store().get(latest)).toBe('y');
      expect(await store().get(first)).toBe('first');
      expect(await store().windowAdd(window, 'c', T0 + 4000, 60_000, HOUR)).toEqual({ count: 3, added: true });
    });

    it('records window members without counting them, as windowAdd keeps them', async () => {
      const window = key('recorded');
      const record = (member: string, at: number): StateOp => ({
        op: 'windowRecord',
        key: window,
        member,
        at: T0 + at,
        windowMs: 2500,
        ttlMs: HOUR,
      });
      expect(
        await store().execute([record('a', 1000), record('b', 2000), record('a', 1500), record('c', 4100)]),
      ).toEqual([{ added: true }, { added: true }, { added: false }, { added: true }]);
      // a, moved to 1500 when seen again, left with c's cutoff (1600); b stays.
      expect(await store().windowRange(window, 0, T0 + 10_000)).toEqual([
        { member: 'b', at: T0 + 2000 },
        { member: 'c', at: T0 + 4100 },
      ]);
      // b seen again moves to its latest sighting, and a recorded window counts like any other.
      expect(await store().execute([record('b', 4000)])).toEqual([{ added: false }]);
      expect(await store().windowAdd(window, 'd', T0 + 4200, 2500, HOUR)).toEqual({ count: 3, added: true });
      expect((await store().windowRange(window, 0, T0 + 10_000)).map((entry) => entry.member)).toEqual(['b', 'c', 'd']);
    });

    it('answers an error in place of a failed operation and still runs the rest', async () => {
      const text = key('text');
      await store().set(text, 'not a window', HOUR);
      const results = await store().execute([
        { op: 'windowAdd', key: text, member: 'a', at: T0, windowMs: 1000, ttlMs: HOUR },
        { op: 'windowRecord', key: text, member: 'a', at: T0, windowMs: 1000, ttlMs: HOUR },
        { op: 'increment', key: text, by: 1, ttlMs: HOUR },
        { op: 'set', key: key('after'), value: 'ran', ttlMs: HOUR },
        { op: 'get', key: key('after') },
      ]);
      expect(results[0]).toBeInstanceOf(Error);
      expect(results[1]).toBeInstanceOf(Error);
      expect(results[2]).toBeInstanceOf(Error);
      expect(results.slice(3)).toEqual([null, 'ran']);
      expect(await store().get(text)).toBe('not a window');
    });

    it('takes an empty batch and a large one', async () => {
      expect(await store().execute([])).toEqual([]);
      const counter = key('many');
      const ops: StateOp[] = Array.from({ length: 2000 }, () => ({
        op: 'increment',
        key: counter,
        by: 1,
        ttlMs: HOUR,
      }));
      const results = await store().execute(ops);
      expect(results.at(-1)).toBe(2000);
    });

    it('swaps atomically when many batches race on one key', async () => {
      const slot = key('race-swap');
      const replaced = await Promise.all(
        Array.from({ length: 16 }, (_, i) => store().execute([{ op: 'swap', key: slot, value: `v${i}`, ttlMs: HOUR }])),
      );
      // Every value but the last written was replaced exactly once, and exactly one swap found the key empty.
      const previous = replaced.map(([result]) => result);
      expect(previous.filter((result) => result === null)).toHaveLength(1);
      const last = await store().get(slot);
      expect(new Set([...previous.filter((result) => result !== null), last]).size).toBe(16);
    });
  });
}
