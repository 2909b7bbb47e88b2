import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { defineRule } from '../../../rule.ts';
import { DAY, MINUTE, isSuccess, place } from '../shared.ts';

const params = z.object({
  /** Tokens issued before the disable keep working until they expire (60–90 min by default). */
  graceMs: z
    .number()
    .int()
    .nonnegative()
    .default(90 * MINUTE),
  /** How long a disabled flag is kept without a newer snapshot. */
  rememberMs: z
    .number()
    .int()
    .positive()
    .default(30 * DAY),
});

/** Shared with other rules that care whether an account is disabled. */
const FACTS = 'facts';
const disabledKey = (userUid: string): string => `user-disabled-since:${userUid}`;

/**
 * AUTH-013: a success for a user known to be disabled. The flag comes from
 * user snapshots (account_enabled) and from `Disable account` / `Enable
 * account` directory audits; it holds the event time the account was first
 * seen disabled, so a success within the token grace window stays quiet.
 */
export const disabledAccount = defineRule({
  id: 'AUTH-013',
  name: 'Activity by a disabled account',
  description:
    'A successful sign-in by a user whose account was disabled more than 90 minutes (the token grace window) before, as known from user snapshots and Disable/Enable account audits.',
  severity: 'high',
  mitre: ['T1078.004'],
  reads: ['sign-in', 'user-snapshot', 'directory-audit'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan(input, { params: p }) {
    const mark = (userUid: string, enabled: boolean, at: number) =>
      enabled
        ? { flag: { op: 'delete' as const, space: FACTS, key: disabledKey(userUid) } }
        : {
            flag: {
              op: 'keepFirst' as const,
              space: FACTS,
              key: disabledKey(userUid),
              value: String(at),
              ttlMs: p.rememberMs,
            },
          };
    switch (input.kind) {
      case 'user-snapshot':
        return mark(input.event.user_uid, input.event.account_enabled, input.event.time);
      case 'directory-audit': {
        const activity = input.event.activity.replace(/\.$/, '');
        const target = input.event.targets.find((candidate) => candidate.uid)?.uid;
        if (
          !target ||
          input.event.result !== 'success' ||
          (activity !== 'Disable account' && activity !== 'Enable account')
        )
          return {};
        return mark(target, activity === 'Enable account', input.event.time);
      }
      case 'sign-in':
        return isSuccess(input.event)
          ? { since: { op: 'get', space: FACTS, key: disabledKey(input.event.user_uid) } }
          : {};
    }
  },
  decide(input, results, { params: p }) {
    if (input.kind !== 'sign-in' || !('since' in results) || !results.since) return [];
    const { event } = input;
    const disabledAt = Number(results.since);
    if (event.time < disabledAt + p.graceMs) return [];
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        summary: `${event.user_name} signed in successfully from ${place(event)} ${formatDuration(event.time - disabledAt)} after the account was disabled`,
        users: [event.user_name],
        ips: event.src_ip ? [event.src_ip] : [],
        countries: event.src_country ? [event.src_country] : [],
        details: { disabled_since: new Date(disabledAt).toISOString() },
      },
    ];
  },
});
