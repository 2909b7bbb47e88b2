import type { MicrosoftRecord } from '../world/cloud.ts';
import type { TimeRange } from './odata-filter.ts';
import { BETA_ONLY_SIGNIN_FIELDS } from '../world/signins.ts';

const BETA_ONLY = new Set<string>(BETA_ONLY_SIGNIN_FIELDS);

// Records never change once made, so each one's v1.0 view is built once, not on every page.
const V1_VIEWS = new WeakMap<MicrosoftRecord, MicrosoftRecord>();

/** A sign-in as v1.0 shows it: without the properties only beta has. */
export function withoutBetaFields(record: MicrosoftRecord): MicrosoftRecord {
  const cached = V1_VIEWS.get(record);
  if (cached) return cached;
  // Copying key by key keeps the objects' shapes stable; `delete` would not.
  const copy: Record<string, unknown> = {};
  V1_VIEWS.set(record, copy);
  for (const key in record) if (!BETA_ONLY.has(key)) copy[key] = record[key];
  return copy;
}

/** Interactive and non-interactive sign-ins as beta lists them together, newest first. */
export function mergeNewestFirst(a: readonly MicrosoftRecord[], b: readonly MicrosoftRecord[]): MicrosoftRecord[] {
  const merged: MicrosoftRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (
      right === undefined ||
      (left !== undefined && String(left['createdDateTime']) >= String(right['createdDateTime']))
    )
      merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

/**
 * The stretch of a newest-first list whose `property` (an ISO time) lies in
 * the range, found by binary search: O(log n) where filtering every record
 * made each page cost the whole tenant's history. Times compare as
 * `Date.parse` reads them, as the filter does.
 */
export function withinTimeRange(
  newestFirst: readonly MicrosoftRecord[],
  property: string,
  range: TimeRange,
): readonly MicrosoftRecord[] {
  const timeAt = (index: number): number => Date.parse(String(newestFirst[index]![property]));
  /** The first index whose time passes `test`, given that the times passing it form a suffix of the list. */
  const firstPassing = (test: (time: number) => boolean): number => {
    let lo = 0;
    let hi = newestFirst.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(timeAt(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const start = range.to === Number.POSITIVE_INFINITY ? 0 : firstPassing((time) => time <= range.to);
  const end = range.from === Number.NEGATIVE_INFINITY ? newestFirst.length : firstPassing((time) => time < range.from);
  return start === 0 && end === newestFirst.length ? newestFirst : newestFirst.slice(start, end);
}
