import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import type { Severity } from '../../../rule.ts';
import { MINUTE, place } from '../shared.ts';

const LEVELS = ['low', 'medium', 'high'] as const;

const params = z.object({
  minLevel: z.enum(LEVELS).default('medium'),
  /** States meaning an admin or the user already dealt with the risk. */
  settledStates: z.array(z.string()).default(['remediated', 'dismissed', 'confirmedSafe']),
});

/**
 * AUTH-022: Microsoft Identity Protection's own risk on a sign-in, passed
 * through with its level as the severity. 'hidden' (tenants without P2) and
 * 'none' are not risk. Failed sign-ins are left to the failure rules.
 */
export const riskLevel = defineRule({
  id: 'AUTH-022',
  name: 'Identity Protection risk on a sign-in',
  description:
    'A sign-in that Microsoft rated medium or high risk (the higher of riskLevelDuringSignIn and riskLevelAggregated); hidden, none and settled risk states are ignored; confirmedCompromised is critical.',
  severity: 'medium',
  mitre: ['T1078.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 40 * MINUTE,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.status === 'failure' || (event.risk_state && p.settledStates.includes(event.risk_state))) return [];
    const rank = (level: string | null): number => LEVELS.indexOf(level as (typeof LEVELS)[number]);
    const level =
      rank(event.risk_level_during) >= rank(event.risk_level_aggregated)
        ? event.risk_level_during
        : event.risk_level_aggregated;
    if (rank(level) < rank(p.minLevel)) return [];
    const severity: Severity = event.risk_state === 'confirmedCompromised' ? 'critical' : (level as Severity);
    const types = event.risk_event_types.length > 0 ? ` (${event.risk_event_types.join(', ')})` : '';
    return [
      {
        entity: { type: 'user', id: event.user_name },
        severity,
        at: event.time,
        summary: `Microsoft rated ${event.user_name}'s sign-in from ${place(event)} ${level} risk${types}, state ${event.risk_state ?? 'unknown'}`,
        users: [event.user_name],
        ips: event.src_ip ? [event.src_ip] : [],
        countries: event.src_country ? [event.src_country] : [],
        details: {
          risk_level: level ?? '',
          risk_state: event.risk_state ?? '',
          risk_event_types: event.risk_event_types.join(','),
        },
      },
    ];
  },
});
