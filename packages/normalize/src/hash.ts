import { createHash } from 'node:crypto';

/** A stable id for derived events: the same identifying fields and values always give the same id. */
export function contentId(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
