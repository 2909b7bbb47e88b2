import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { defineRule } from '../../../rule.ts';
import {
  FAILURE_RETENTION_MS,
  MINUTE,
  PASSWORD_FAILURE_CODES,
  distinct,
  parseFailures,
  recentFailures,
  recordFailure,
} from '../shared.ts';

const params = z.object({
  minFailures: z.number().int().min(2).default(20),
  windowMs: z
    .number()
    .int()
    .positive()
    .max(FAILURE_RETENTION_MS)
    .default(10 * MINUTE),
  /**
   * A phone retrying a stale password: one IP, one agent, a steady cadence.
   * When every failure in the window shares IP and agent and the gaps vary by
   * less than this fraction of their mean, it is a retry loop, not guessing.
   */
  steadyCadenceTolerance: z.number().nonnegative().default(0.1),
  failureCodes: z.array(z.number().int()).default(PASSWORD_FAILURE_CODES),
});

/** AUTH-008: many password-class failures against one user, read from the shared per-user failure window. */
export const bruteForce = defineRule({
  id: 'AUTH-008',
  name: 'Brute force against one user',
  description:
    'At least 20 password-class failures (50126, 50055, …) against one user within 10 minutes. Interrupt codes (50140, 70043, …) are not counted; one IP and one agent failing at a steady cadence from a background client (not interactive browser sign-ins) is a stale-password retry loop and stays silent.',
  severity: 'medium',
  mitre: ['T1110.001'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p, tenant }) {
    if (!p.failureCodes.includes(event.status_code) || tenant.trusted.has(event.src_ip)) return {};
    return { record: recordFailure(event) };
  },
  followUp({ event }, results, { params: p }) {
    // The record's count covers every failure code over the shared retention: an upper bound, so below it nothing to read.
    return results.record && results.record.count >= p.minFailures ? { recent: recentFailures(event) } : {};
  },
  decide({ event }, _results, { params: p }, more) {
    if (!more.recent) return [];
    const failures = parseFailures(more.recent, event).filter(
      (failure) => failure.at > event.time - p.windowMs && p.failureCodes.includes(failure.code),
    );
    if (failures.length < p.minFailures) return [];
    const sources = distinct(failures.map((failure) => failure.source));
    if (
      sources.length === 1 &&
      !typedAtTheSignInPage(event) &&
      steady(
        failures.map((failure) => failure.at),
        p.steadyCadenceTolerance,
      )
    )
      return [];
    const ips = distinct(failures.flatMap((failure) => (failure.ip ? [failure.ip] : [])));
    const since = failures[0]!.at;
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        since,
        summary: `${event.user_name} had ${failures.length} password failures in ${formatDuration(event.time - since)} from ${ips.length} IP(s)`,
        relatedEventIds: failures.slice(0, 50).map((failure) => failure.eventId),
        users: [event.user_name],
        ips: ips.slice(0, 50),
        countries: event.src_country ? [event.src_country] : [],
        details: { failures: failures.length, distinct_ips: ips.length },
      },
    ];
  },
});

/** An interactive browser sign-in is someone at the sign-in page: a background client retrying a stale password never is. */
function typedAtTheSignInPage(event: {
  readonly is_interactive: boolean;
  readonly client_app: string | null;
}): boolean {
  return event.is_interactive && event.client_app === 'Browser';
}

function steady(times: readonly number[], tolerance: number): boolean {
  if (times.length < 3) return false;
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  return mean > 0 && gaps.every((gap) => Math.abs(gap - mean) <= tolerance * mean);
}
