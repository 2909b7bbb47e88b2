import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { defineRule } from '../../../rule.ts';
import type { Finding } from '../../../rule.ts';
import {
  DAY,
  MINUTE,
  PASSWORD_CORRECT_CODES,
  PASSWORD_FAILURE_CODES,
  distinct,
  isSuccess,
  splitMember,
  untrustedIp,
} from '../shared.ts';

const params = z.object({
  minUsers: z.number().int().min(2).default(10),
  windowMs: z
    .number()
    .int()
    .positive()
    .default(30 * MINUTE),
  /** Spray means few tries per user; more than this on average is brute force. */
  maxAttemptsPerUser: z.number().positive().default(3),
  /** A targeted user succeeding (or passing the password step) from the IP this long after raises it to High. */
  escalateWithinMs: z.number().int().positive().default(DAY),
  /** Shared egress (office NAT, campus): users succeeding from the IP in this period, compared with those failing. */
  successLookbackMs: z.number().int().positive().default(DAY),
  failureCodes: z.array(z.number().int()).default(PASSWORD_FAILURE_CODES),
  correctPasswordCodes: z.array(z.number().int()).default(PASSWORD_CORRECT_CODES),
});

/**
 * AUTH-005: one IP failing with password-class codes against many distinct
 * users of a tenant. Windows: distinct failing users (30 min), failed attempts
 * as `event|user` (30 min, read back as evidence once the threshold is
 * crossed), targeted users (24 h, for the escalation) and distinct users
 * succeeding from the IP (24 h, the shared-egress check).
 */
export const passwordSpray = defineRule({
  id: 'AUTH-005',
  name: 'Password spray from one source',
  description:
    'One IP fails with password-class codes (50126, 50055, …) against many distinct users within a window, with few attempts each. High once a targeted user succeeds or passes the password step from that IP. IPs where at least as many users succeed as fail (shared egress) are left out.',
  severity: 'medium',
  mitre: ['T1110.003'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p, tenant }) {
    const ip = untrustedIp(event, tenant);
    if (!ip) return {};
    const at = event.time;
    const user = event.user_name;
    if (p.failureCodes.includes(event.status_code)) {
      return {
        users: { op: 'windowAdd', key: `users:${ip}`, member: user, at, windowMs: p.windowMs },
        attempts: {
          op: 'windowAdd',
          key: `attempts:${ip}`,
          member: `${event.event_id}|${user}`,
          at,
          windowMs: p.windowMs,
        },
        targets: { op: 'windowAdd', key: `targets:${ip}`, member: user, at, windowMs: p.escalateWithinMs },
      };
    }
    const correct = isSuccess(event) || p.correctPasswordCodes.includes(event.status_code);
    if (!correct) return {};
    return {
      ok: isSuccess(event)
        ? { op: 'windowRecord', key: `ok:${ip}`, member: user, at, windowMs: p.successLookbackMs }
        : undefined,
      targeted: { op: 'range', key: `targets:${ip}`, from: at - p.escalateWithinMs, to: at, limit: 5000 },
    };
  },
  followUp({ event }, results, { params: p, tenant }) {
    // Evidence and the shared-egress check only once the failing users reach the threshold.
    if (!results.users || !results.attempts || results.users.count < p.minUsers) return {};
    if (results.attempts.count / results.users.count > p.maxAttemptsPerUser) return {};
    const ip = untrustedIp(event, tenant)!;
    const at = event.time;
    return {
      evidence: { op: 'range', key: `attempts:${ip}`, from: at - p.windowMs + 1, to: at, limit: 50 },
      succeeding: { op: 'range', key: `ok:${ip}`, from: at - p.successLookbackMs, to: at, limit: 1000 },
    };
  },
  decide({ event }, results, { params: p, tenant }, more) {
    const ip = untrustedIp(event, tenant)!;
    if (results.users && results.attempts) {
      if (!more.evidence || !more.succeeding) return [];
      const users = results.users.count;
      const succeeding = more.succeeding.length;
      if (succeeding >= users) return [];
      const evidence = more.evidence.map((entry) => ({ at: entry.at, parts: splitMember(entry.member) }));
      const since = evidence[0]?.at ?? event.time;
      const finding: Finding = {
        entity: { type: 'ip', id: ip },
        at: event.time,
        since,
        summary: `${ip} failed password sign-ins against ${users} users of tenant ${event.tenant_id} in ${formatDuration(event.time - since)} (${results.attempts.count} attempts)${succeeding ? `; ${succeeding} user(s) succeeded from it` : '; no user succeeded from it'}`,
        relatedEventIds: evidence.map((entry) => entry.parts[0]),
        users: distinct([...evidence.map((entry) => entry.parts[1]), event.user_name]),
        ips: [ip],
        countries: event.src_country ? [event.src_country] : [],
        details: { distinct_users: users, attempts: results.attempts.count, succeeding_users: succeeding },
      };
      return [finding];
    }
    const targeted = (results.targeted ?? []).map((entry) => entry.member);
    if (!targeted.includes(event.user_name) || distinct(targeted).length < p.minUsers) return [];
    const outcome = isSuccess(event)
      ? 'signed in successfully'
      : `passed the password step (code ${event.status_code})`;
    return [
      {
        entity: { type: 'ip', id: ip },
        severity: 'high',
        at: event.time,
        summary: `${ip} sprayed passwords at ${distinct(targeted).length} users of tenant ${event.tenant_id}, then ${event.user_name} ${outcome} from it`,
        users: [event.user_name],
        ips: [ip],
        countries: event.src_country ? [event.src_country] : [],
        details: { compromised_user: event.user_name, compromise_code: event.status_code },
      },
    ];
  },
});
