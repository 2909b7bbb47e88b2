import type { FastifyRequest } from 'fastify';

export interface Cursor {
  /** Items already served. */
  readonly offset: number;
  /** Simulated time of the first page: later records stay out, so pages never shift under the client. */
  readonly asOf: number;
}

export function readCursor(token: string | undefined, now: number): Cursor {
  if (!token) return { offset: 0, asOf: now };
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString()) as Cursor;
    if (Number.isInteger(cursor.offset) && Number.isFinite(cursor.asOf)) return cursor;
  } catch {
    // fall through: an unreadable token is the client's error
  }
  throw new RangeError('skiptoken');
}

/** The absolute nextLink Graph returns: the same query with an opaque $skiptoken. */
export function nextLink(request: FastifyRequest, base: string, cursor: Cursor): string {
  const url = new URL(request.url, base);
  url.searchParams.delete('$skiptoken');
  url.searchParams.set('$skiptoken', Buffer.from(JSON.stringify(cursor)).toString('base64url'));
  return url.toString();
}

/** `$select` applied to a record, keeping `id` as Graph does. */
export function select(
  record: Readonly<Record<string, unknown>>,
  fields: readonly string[] | undefined,
): Readonly<Record<string, unknown>> {
  if (!fields) return record;
  const picked: Record<string, unknown> = {};
  for (const field of ['id', ...fields]) if (field in record) picked[field] = record[field];
  return picked;
}
