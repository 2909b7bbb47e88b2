import { z } from 'zod';
import { ApiError } from './errors.ts';

/** Keyset position after the last row of a page: newest first, ties broken by id. */
export interface Cursor {
  readonly time: string;
  readonly id: string;
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1_000).default(100).describe('Rows per page'),
  cursor: z.string().max(512).optional().describe('nextCursor of the previous page'),
};

export function encodeCursor(cursor: Cursor): string {
  return encodeKeys([cursor.time, cursor.id]);
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  const keys = decodeKeys(text, 2);
  if (keys === undefined) return undefined;
  const [time, id] = keys as [string, string];
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(time)) throw notOurCursor();
  return { time, id };
}

/** A page of rows fetched with limit + 1, and the cursor to the next one. */
export function pageOf<Row extends { time: string }>(
  rows: readonly Row[],
  limit: number,
  idOf: (row: Row) => string,
): { items: Row[]; nextCursor: string | null } {
  return keyedPageOf(rows, limit, (row) => [row.time, idOf(row)]);
}

const notOurCursor = (): ApiError =>
  new ApiError(400, 'invalid_request', 'query.cursor: not a cursor this API handed out');

/**
 * Keyset position over a list's sort keys as strings (current-state lists:
 * devices by tenant and id, subscriptions by end date, tenant and id).
 * `count` is how many keys the list's cursor holds.
 */
export function encodeKeys(keys: readonly string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

export function decodeKeys(text: string | undefined, count: number): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const keys = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown;
    if (
      Array.isArray(keys) &&
      keys.length === count &&
      keys.every((key) => typeof key === 'string' && key.length <= 512)
    )
      return keys as string[];
  } catch {
    // Reported below.
  }
  throw notOurCursor();
}

/** A page of rows fetched with limit + 1, and the cursor (from `keysOf` the last row) to the next one. */
export function keyedPageOf<Row>(
  rows: readonly Row[],
  limit: number,
  keysOf: (row: Row) => readonly string[],
): { items: Row[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeKeys(keysOf(last)) : null };
}
