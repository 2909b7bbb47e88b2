import { describe, expect, it } from 'vitest';
import { waitFor } from '@nightjar/testkit';
import type { ContractContext } from './contract.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

export function describeWindowContract({ store, key }: ContractContext): void {
  describe('sliding windows', () => {
    it('counts distinct members whose time lies in (at - windowMs, at]', async () => {
      const window = key('window');
      const add = (member: string, at: number) => store().windowAdd(window, member, T0 + at, 2500, HOUR);
      expect(await add('a', 1000)).toEqual({ count: 1, added: true });
      expect(await add('b', 2000)).toEqual({ count: 2, added: true });
      expect(await add('c', 3000)).toEqual({ count: 3, added: true });
      // a (1000) is exactly at the cutoff 3500 - 2500 and leaves.
      expect(await add('d', 3500)).toEqual({ count: 3, added: true });
      expect(await add('e', 5900)).toEqual({ count: 2, added: true });
      expect((await store().windowRange(window, 0, T0 + 10_000)).map((entry) => entry.member)).toEqual(['d', 'e']);
    });

    it('does not count a replayed member twice', async () => {
      const window = key('replay');
      await store().windowAdd(window, 'event-1', T0 + 1000, 60_000, HOUR);
      await store().windowAdd(window, 'event-2', T0 + 2000, 60_000, HOUR);
      // A replay is not added again; its window holds what happened around it, event-2 included.
      expect(await store().windowAdd(window, 'event-1', T0 + 1000, 60_000, HOUR)).toEqual({ count: 2, added: false });
      expect(await store().windowAdd(window, 'event-2', T0 + 3000, 60_000, HOUR)).toEqual({ count: 2, added: false });
    });

    it('counts a member again once its earlier sighting has left the window', async () => {
      const window = key('return');
      await store().windowAdd(window, 'alice', T0, 1000, HOUR);
      expect(await store().windowAdd(window, 'alice', T0 + 5000, 1000, HOUR)).toEqual({ count: 1, added: true });
      expect(await store().windowRange(window, 0, T0 + 10_000)).toEqual([{ member: 'alice', at: T0 + 5000 }]);
    });

    it('keeps a member while it keeps being seen: its latest sighting counts, a late one does not move it back', async () => {
      const window = key('seen');
      expect(await store().windowAdd(window, 'alice', T0, 1000, HOUR)).toEqual({ count: 1, added: true });
      expect(await store().windowAdd(window, 'alice', T0 + 800, 1000, HOUR)).toEqual({ count: 1, added: false });
      // Seen 700 ms ago, so still in the window: not a new member, although its first sighting left it.
      expect(await store().windowAdd(window, 'alice', T0 + 1500, 1000, HOUR)).toEqual({ count: 1, added: false });
      expect(await store().windowAdd(window, 'alice', T0 + 1200, 1000, HOUR)).toEqual({ count: 1, added: false });
      expect(await store().windowRange(window, 0, T0 + 10_000)).toEqual([{ member: 'alice', at: T0 + 1500 }]);
    });

    it('counts a late event in the fullest window that holds it, members after it included', async () => {
      const window = key('late');
      await store().windowAdd(window, 'x', T0 + 10_000, 2000, HOUR);
      await store().windowAdd(window, 'y', T0 + 11_000, 2000, HOUR);
      // Nothing within 2000 of it: alone, and the newer members are not dropped.
      expect(await store().windowAdd(window, 'ancient', T0 + 1000, 2000, HOUR)).toEqual({ count: 1, added: true });
      // (9000, 11000] holds it with x and y: handled last, it still completes what happened around it.
      expect(await store().windowAdd(window, 'late', T0 + 9500, 2000, HOUR)).toEqual({ count: 3, added: true });
      // (7500, 9500] is the fullest that still holds 8000: x at 10000 is 2000 away.
      expect(await store().windowAdd(window, 'later', T0 + 8000, 2000, HOUR)).toEqual({ count: 2, added: true });
      expect(await store().windowAdd(window, 'z', T0 + 11_200, 2000, HOUR)).toEqual({ count: 4, added: true });
      const members = (await store().windowRange(window, 0, T0 + 20_000)).map((entry) => entry.member);
      expect(members).toEqual(['late', 'x', 'y', 'z']);
    });

    it('ranges oldest first, inclusive of both bounds, up to the limit', async () => {
      const window = key('range');
      for (const [member, at] of [
        ['m3', 300],
        ['m1', 100],
        ['m4', 400],
        ['m2', 200],
        ['m5', 500],
      ] as const) {
        await store().windowAdd(window, member, T0 + at, HOUR, HOUR);
      }
      expect(await store().windowRange(window, T0 + 200, T0 + 400)).toEqual([
        { member: 'm2', at: T0 + 200 },
        { member: 'm3', at: T0 + 300 },
        { member: 'm4', at: T0 + 400 },
      ]);
      const limited = await store().windowRange(window, T0, T0 + 1000, 2);
      expect(limited.map((entry) => entry.member)).toEqual(['m1', 'm2']);
      expect(await store().windowRange(window, T0 + 600, T0 + 900)).toEqual([]);
      expect(await store().windowRange(key('missing'), 0, T0)).toEqual([]);
    });

    it('drops an idle window when its ttl runs out', async () => {
      const window = key('idle');
      await store().windowAdd(window, 'a', T0, 60_000, 200);
      expect(await store().windowRange(window, 0, T0 + 1)).toHaveLength(1);
      await waitFor(
        async () => ((await store().windowRange(window, 0, T0 + 1)).length === 0 ? true : undefined),
        'the window to expire',
        3000,
      );
    });
  });

  describe('distinct counts', () => {
    it('counts small sets exactly and ignores repeats', async () => {
      const distinct = key('small');
      expect(await store().distinctAdd(distinct, ['a', 'b'], HOUR)).toBe(2);
      expect(await store().distinctAdd(distinct, ['b', 'c', 'c'], HOUR)).toBe(3);
      expect(await store().distinctAdd(distinct, [], HOUR)).toBe(3);
    });

    it('estimates 10k members within 2 %', async () => {
      const distinct = key('large');
      let count = 0;
      for (let batch = 0; batch < 10; batch += 1) {
        const members = Array.from({ length: 1000 }, (_, index) => `user-${batch * 1000 + index}@contoso.com`);
        count = await store().distinctAdd(distinct, members, HOUR);
      }
      expect(Math.abs(count - 10_000)).toBeLessThanOrEqual(200);
      const again = await store().distinctAdd(distinct, ['user-0@contoso.com', 'user-9999@contoso.com'], HOUR);
      expect(again).toBe(count);
    });
  });
}
