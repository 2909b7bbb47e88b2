import { describe, expect, it } from 'vitest';
import type { MicrosoftRecord } from '../world/cloud.ts';
import { isoTicks } from '../world/time.ts';
import { parseFilter } from './odata-filter.ts';
import { mergeNewestFirst, withinTimeRange } from './signin-views.ts';

const START = Date.UTC(2026, 2, 1);
const MINUTE = 60_000;

/** Newest first, several records sharing a millisecond (their ticks differ), as the world stores them. */
function records(count: number, offset: number): MicrosoftRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${offset}-${index}`,
    createdDateTime: isoTicks(START + Math.floor((index * 7 + offset) / 3) * MINUTE, (index * 37) % 10_000),
  })).reverse();
}

describe('withinTimeRange', () => {
  it('returns exactly what filtering every record by the same bounds returns', () => {
    const list = records(500, 0);
    for (const [from, to] of [
      [START, START + 60 * MINUTE],
      [START + 100 * MINUTE, START + 100 * MINUTE],
      [START + 333 * MINUTE, START + 2_000 * MINUTE],
      [START - 10 * MINUTE, START - MINUTE],
      [START + 5_000 * MINUTE, START + 6_000 * MINUTE],
    ] as const) {
      const filter = parseFilter(
        `createdDateTime ge ${new Date(from).toISOString()} and createdDateTime le ${new Date(to).toISOString()}`,
        new Set(['createdDateTime']),
      );
      const narrowed = withinTimeRange(list, 'createdDateTime', filter.timeRange('createdDateTime'));
      expect(narrowed.filter(filter.predicate)).toEqual(list.filter(filter.predicate));
      expect(narrowed.length).toBeLessThan(list.length);
    }
  });

  it('leaves the list whole when the range is open', () => {
    const list = records(50, 0);
    const open = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };
    expect(withinTimeRange(list, 'createdDateTime', open)).toBe(list);
  });

  it('narrows two lists that then merge newest first', () => {
    const range = { from: START + 10 * MINUTE, to: START + 50 * MINUTE };
    const a = records(100, 0);
    const b = records(100, 1);
    const merged = mergeNewestFirst(
      withinTimeRange(a, 'createdDateTime', range),
      withinTimeRange(b, 'createdDateTime', range),
    );
    const times = merged.map((record) => Date.parse(String(record['createdDateTime'])));
    expect(times.every((time) => time >= range.from && time <= range.to)).toBe(true);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(merged.length).toBeGreaterThan(0);
  });
});
