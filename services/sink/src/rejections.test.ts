import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '@nightjar/core';
import { StoreQueryError } from '@nightjar/store';
import { insertRejectingBadRows, isPermanentRejection } from './rejections.ts';

const refusal = () => new StoreQueryError('Cannot parse input', '27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED');

/** A table that refuses any insert holding a negative number. */
function table() {
  const stored: number[] = [];
  const ranges: string[] = [];
  const insert = (part: readonly number[], range: string): Promise<void> => {
    ranges.push(range);
    if (part.some((value) => value < 0)) return Promise.reject(refusal());
    stored.push(...part);
    return Promise.resolve();
  };
  return { stored, ranges, insert };
}

describe('rows ClickHouse refuses', () => {
  it('tells a refusal of the data from an outage', () => {
    expect(isPermanentRejection(refusal())).toBe(true);
    expect(isPermanentRejection(new StoreQueryError('Too many parts', '252', 'TOO_MANY_PARTS'))).toBe(false);
    expect(isPermanentRejection(new StoreQueryError('Unknown table', '60', 'UNKNOWN_TABLE'))).toBe(false);
    expect(isPermanentRejection(new DependencyUnavailableError('chdb', 'unreachable'))).toBe(false);
  });

  it('inserts the whole batch in one go when nothing is refused', async () => {
    const { stored, ranges, insert } = table();
    expect(await insertRejectingBadRows([1, 2, 3], insert)).toEqual([]);
    expect(stored).toEqual([1, 2, 3]);
    expect(ranges).toEqual(['']);
  });

  it('isolates each refused row, with its reason, and inserts every other one', async () => {
    const { stored, ranges, insert } = table();
    const rejected = await insertRejectingBadRows([1, -2, 3, 4, 5, -6, 7], insert);
    expect(rejected).toEqual([
      { item: -2, reason: 'Cannot parse input' },
      { item: -6, reason: 'Cannot parse input' },
    ]);
    expect(stored.sort()).toEqual([1, 3, 4, 5, 7]);
    // Each part's deduplication token names its place in the batch, so a retried batch repeats them exactly.
    expect(new Set(ranges).size).toBe(ranges.length);
  });

  it('throws on an outage so the batch is delivered again', async () => {
    const outage = new DependencyUnavailableError('clickhouse', 'unreachable');
    await expect(insertRejectingBadRows([1], () => Promise.reject(outage))).rejects.toBe(outage);
  });
});
