import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { normalizeIp } from '../../../net/ip.ts';
import { defineRule } from '../../../rule.ts';
import {
  FAILURE_RETENTION_MS,
  MINUTE,
  PASSWORD_FAILURE_CODES,
  isSuccess,
  parseFailures,
  recentFailures,
  recordFailure,
  recordReset,
  RESET_MARK,
} from '../shared.ts';

const params = z.object({
  minFailures: z.number().int().min(2).default(10),
  windowMs: z
    .number()
    .int()
    .positive()
    .max(FAILURE_RETENTION_MS)
    .default(30 * MINUTE),
  failureCodes: z.array(z.number().int()).default(PASSWORD_FAILURE_CODES),
  /** Directory activities after which a success is the user back in, not the attacker. */
  resetActivities: z
    .array(z.string())
    .default([
      'Reset password (self-service)',
      'Change user password',
      'Reset user password',
      'Change password (self-service)',
    ]),
});

/**
 * AUTH-009: a success from an IP that was part of a run of password failures
 * against the same user. A password reset of that user inside the run (from
 * directory audits) explains the success and silences it.
 */
export const successAfterFailures = defineRule({
  id: 'AUTH-009',
  name: 'Success after a run of failures',
  description:
    'A user signs in successfully from an IP that was part of at least 10 password-class failures against them in the previous 30 minutes, with no password reset of that user in between.',
  severity: 'high',
  mitre: ['T1110.001', 'T1078.004'],
  reads: ['sign-in', 'directory-audit'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan(input, { params: p }) {
    if (input.kind === 'directory-audit') {
      const { event } = input;
      if (event.result !== 'success' || !p.resetActivities.includes(event.activity.replace(/\.$/, ''))) return {};
      const target = event.targets.find((candidate) => candidate.uid);
      if (!target?.uid) return {};
      return { reset: recordReset(target.uid, event.event_id, event.time) };
    }
    const { event } = input;
    if (p.failureCodes.includes(event.status_code)) return { record: recordFailure(event) };
    if (!isSuccess(event) || !normalizeIp(event.src_ip)) return {};
    return { failures: recentFailures(event) };
  },
  decide(input, results, { params: p }) {
    if (input.kind !== 'sign-in' || !results.failures) return [];
    const { event } = input;
    const ip = normalizeIp(event.src_ip);
    const failures = parseFailures(results.failures).filter(
      (failure) => failure.at >= event.time - p.windowMs && p.failureCodes.includes(failure.code),
    );
    const fromSameIp = failures.filter((failure) => failure.ip === ip);
    if (failures.length < p.minFailures || fromSameIp.length === 0) return [];
    const since = failures[0]!.at;
    const reset = parseFailures(results.failures).some(
      (entry) => entry.code === RESET_MARK && entry.at >= since && entry.at <= event.time,
    );
    if (reset) return [];
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        since,
        summary: `${event.user_name} had ${failures.length} password failures in ${formatDuration(event.time - since)} (${fromSameIp.length} from ${ip}), then signed in successfully from ${ip}`,
        relatedEventIds: failures.slice(-49).map((failure) => failure.eventId),
        users: [event.user_name],
        ips: [ip!],
        countries: event.src_country ? [event.src_country] : [],
        details: { failures: failures.length, failures_from_ip: fromSameIp.length },
      },
    ];
  },
});
