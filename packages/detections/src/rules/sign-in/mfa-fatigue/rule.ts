import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { defineRule } from '../../../rule.ts';
import {
  FAILURE_RETENTION_MS,
  MFA_DENIAL_CODES,
  MINUTE,
  distinct,
  isSuccess,
  parseFailures,
  recentFailures,
  recordFailure,
} from '../shared.ts';

const params = z.object({
  minDenials: z.number().int().min(2).default(10),
  windowMs: z
    .number()
    .int()
    .positive()
    .max(FAILURE_RETENTION_MS)
    .default(10 * MINUTE),
  /** One attempt republished by Graph shares its correlation id; fatigue needs several attempts. */
  minAttempts: z.number().int().min(1).default(2),
  /** A success this soon after the denials is the user giving in (MFA-003). */
  successWithinMs: z
    .number()
    .int()
    .positive()
    .max(FAILURE_RETENTION_MS)
    .default(30 * MINUTE),
  /** 500121: MFA denied or not answered. 50074/50076 are prompts (the password was right), not denials. */
  denialCodes: z.array(z.number().int()).default(MFA_DENIAL_CODES),
});

/**
 * MFA-002 / MFA-003: repeated MFA denials or timeouts for one user across
 * several sign-in attempts, and the success that often follows them. Reads
 * the shared per-user failure window.
 */
export const mfaFatigue = defineRule({
  id: 'MFA-002',
  name: 'MFA fatigue',
  description:
    'At least 10 MFA denials or timeouts (500121) for one user across at least 2 sign-in attempts (correlation ids) within 10 minutes; a success within 30 minutes of such a run is added to the alert as the user giving in.',
  severity: 'high',
  mitre: ['T1621', 'T1078.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p }) {
    if (p.denialCodes.includes(event.status_code)) return { record: recordFailure(event) };
    return isSuccess(event) ? { recent: recentFailures(event) } : {};
  },
  followUp({ event }, results, { params: p }) {
    // After a denial, read the window only once it could hold enough denials (its count is an upper bound).
    return results.record && results.record.count >= p.minDenials ? { recent: recentFailures(event) } : {};
  },
  decide({ event }, results, { params: p }, more) {
    const recent = results.recent ?? more.recent;
    if (!recent) return [];
    const gaveIn = isSuccess(event);
    const within = gaveIn ? p.successWithinMs : p.windowMs;
    const denials = parseFailures(recent, event).filter(
      (failure) => p.denialCodes.includes(failure.code) && failure.at > event.time - within,
    );
    const attempts = distinct(denials.map((denial) => denial.attempt)).length;
    if (denials.length < p.minDenials || attempts < p.minAttempts) return [];
    const since = denials[0]!.at;
    const span = formatDuration(denials.at(-1)!.at - since);
    const base = `${event.user_name} denied or ignored ${denials.length} MFA prompts over ${attempts} attempts in ${span}`;
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        since,
        summary: gaveIn ? `${base}, then signed in successfully from ${event.src_ip ?? 'an unknown IP'}` : base,
        relatedEventIds: denials.slice(-49).map((denial) => denial.eventId),
        users: [event.user_name],
        ips: event.src_ip ? [event.src_ip] : [],
        countries: event.src_country ? [event.src_country] : [],
        details: { denials: denials.length, attempts, followed_by_success: gaveIn },
      },
    ];
  },
});
