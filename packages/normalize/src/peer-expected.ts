import type { Feed } from './files/detect-feed.ts';
import { get, isRecord, type Rec } from './fields.ts';

function at(doc: Rec, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) current = isRecord(current) ? get(current, part) : undefined;
  return current;
}

/**
 * Fields of our events that correspond to SEKOIA's ECS-like expected output. SEKOIA puts the UPN in
 * user.email when it has one and a display name or id in user.name, so user.email is compared first;
 * a directory change made by an application has SEKOIA's user.name from the app.
 */
const CORRESPONDING: Readonly<Record<Feed, Readonly<Record<string, readonly string[]>>>> = {
  signins: {
    'source.ip': ['src_ip'],
    'user.email|user.name': ['user_name'],
    'event.outcome': ['status'],
    'source.geo.country_iso_code': ['src_country'],
  },
  directory: {
    'source.ip': ['actor_ip'],
    'user.email|user.name': ['actor_user_name', 'actor_app_uid'],
    'event.outcome': ['result'],
  },
  audit: { 'source.ip': ['src_ip'], 'user.name': ['user_id'] },
  devices: {},
  subscriptions: {},
};

function same(expectedField: string, expected: unknown, ours: unknown): boolean {
  if (typeof expected !== 'string' || typeof ours !== 'string') return expected === ours;
  const want = expected.toLowerCase();
  const got = ours.toLowerCase();
  if (expectedField === 'event.outcome') return want === (got === 'interrupted' ? 'failure' : got);
  // SEKOIA keeps only the local part of some UPNs.
  if (expectedField.startsWith('user.')) return got === want || got.startsWith(`${want}@`);
  return got === want;
}

/** Differences between one normalized event and SEKOIA's expected document, for the fields both carry. */
export function compareWithSekoia(file: string, feed: Feed, event: Rec, expected: Rec): string[] {
  const out: string[] = [];
  for (const [paths, ours] of Object.entries(CORRESPONDING[feed])) {
    const fieldIndex = Math.max(
      0,
      ours.findIndex((name) => event[name] !== null && event[name] !== undefined),
    );
    const field = ours[fieldIndex] ?? '';
    // Our fallback fields (an app as the actor) correspond to SEKOIA's last path (user.name).
    const candidates = fieldIndex === 0 ? paths.split('|') : paths.split('|').slice(-1);
    const theirs = candidates.find((path) => at(expected, path) !== undefined && at(expected, path) !== null);
    if (theirs === undefined) continue;
    const want = at(expected, theirs);
    if (!same(theirs, want, event[field])) {
      out.push(`${file} (${feed}): ${theirs}=${JSON.stringify(want)} but ${field}=${JSON.stringify(event[field])}`);
    }
  }
  return out;
}
