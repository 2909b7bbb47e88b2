/** Sign-in facts shared by the sign-in rules (detections.md §3.3). */
import type { SignIn } from '@nightjar/events';
import type { WindowEntry } from '@nightjar/state';
import type { RangeStep, WindowAddStep } from '../../rule.ts';
import { normalizeIp } from '../../net/ip.ts';
import type { TenantSettings } from '../../settings.ts';

/** The password was wrong (or unusable): what spray, stuffing and brute force count. */
export const PASSWORD_FAILURE_CODES = [50126, 50056, 50055, 50144, 50064];
/** An interrupt after the password step: the password was right (Sentinel's insight, §3.3). */
export const PASSWORD_CORRECT_CODES = [50074, 50076, 50079, 50072, 53003, 53000, 53001, 50158, 500121];
/** MFA denied by the user or timed out. */
export const MFA_DENIAL_CODES = [500121];

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function isSuccess(event: SignIn): boolean {
  return event.status_code === 0 && event.status === 'success';
}

/** The source address a rule may key on: normalized, not redacted, not in a trusted range. */
export function untrustedIp(event: SignIn, tenant: TenantSettings): string | null {
  const ip = normalizeIp(event.src_ip);
  return ip && !tenant.trusted.has(ip) ? ip : null;
}

export function place(event: SignIn): string {
  const country = event.src_country ?? '??';
  return event.src_city ? `${event.src_city} (${country})` : country;
}

/** Splits a `left|right` window member (right = the part after the last separator). */
export function splitMember(member: string): [string, string] {
  const at = member.lastIndexOf('|');
  return at < 0 ? [member, ''] : [member.slice(0, at), member.slice(at + 1)];
}

export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * One per-user window of failed sign-ins (password class and MFA denials),
 * shared by brute force, success-after-failures and MFA fatigue. Every rule
 * plans the same steps, which the engine runs once per event; each rule then
 * reads its own window and codes from the range. Rule windows must not
 * exceed FAILURE_RETENTION_MS.
 */
export const FAILURE_RETENTION_MS = 2 * HOUR;
const FAILURES = { space: 'sign-in-failures' } as const;

export interface RecentFailure {
  readonly at: number;
  readonly eventId: string;
  readonly code: number;
  /** `ip~agent`: one device. */
  readonly source: string;
  readonly ip: string | null;
  /** Correlation id: one sign-in attempt, however often Graph republishes it. */
  readonly attempt: string;
}

const clean = (value: string): string => value.replaceAll('|', '/');

function failureMember(event: SignIn): string {
  const ip = normalizeIp(event.src_ip) ?? '-';
  const parts = [
    event.event_id,
    String(event.status_code),
    `${ip}~${event.user_agent ?? '-'}`,
    event.correlation_id ?? event.event_id,
  ];
  return parts.map(clean).join('|');
}

export function recordFailure(event: SignIn): WindowAddStep {
  return {
    op: 'windowAdd',
    ...FAILURES,
    key: `user:${event.user_uid}`,
    member: failureMember(event),
    at: event.time,
    windowMs: FAILURE_RETENTION_MS,
  };
}

/** Marks a password reset of the user in the failure window (code RESET_MARK): failures before it are explained. */
export const RESET_MARK = -1;
export function recordReset(userUid: string, eventId: string, at: number): WindowAddStep {
  const member = [eventId, String(RESET_MARK), '-~-', eventId].map(clean).join('|');
  return { op: 'windowAdd', ...FAILURES, key: `user:${userUid}`, member, at, windowMs: FAILURE_RETENTION_MS };
}

export function recentFailures(event: SignIn): RangeStep {
  return {
    op: 'range',
    ...FAILURES,
    key: `user:${event.user_uid}`,
    from: event.time - FAILURE_RETENTION_MS + 1,
    to: event.time,
    limit: 2000,
  };
}

/**
 * The recent failures, oldest first. When `current` is a failure it is always
 * included: steps run concurrently, so the range may have been read before
 * another rule's identical record step stored it.
 */
export function parseFailures(entries: readonly WindowEntry[] | undefined, current?: SignIn): RecentFailure[] {
  const all = [...(entries ?? [])];
  if (current && !isSuccess(current) && !all.some((entry) => entry.member.startsWith(`${clean(current.event_id)}|`))) {
    all.push({ member: failureMember(current), at: current.time });
    all.sort((a, b) => a.at - b.at);
  }
  return all.map((entry) => {
    const [eventId = '', code = '0', source = '-~-', attempt = ''] = entry.member.split('|');
    const ip = source.slice(0, source.indexOf('~'));
    return { at: entry.at, eventId, code: Number(code), source, ip: ip === '-' ? null : ip, attempt };
  });
}
