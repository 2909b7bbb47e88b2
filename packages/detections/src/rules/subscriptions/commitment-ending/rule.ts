import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { DAY, HOUR, subscriptionLabel } from '../shared.ts';

const params = z.object({
  /** Days before the commitment end at which to warn, each once per commitment. */
  thresholdDays: z.array(z.number().int().positive()).default([30, 7, 1]),
  /** At or below this many days the warning is High. */
  urgentDays: z.number().int().positive().default(7),
});

/**
 * SUB-002: a subscription whose commitment ends soon and will not renew.
 * Reads every snapshot poll; `keepFirst` per (subscription, commitment end,
 * threshold) makes each threshold warn once.
 */
export const commitmentEnding = defineRule({
  id: 'SUB-002',
  name: 'Subscription commitment ending with auto-renew off',
  description:
    'An active, non-trial Partner Center subscription whose commitment ends within 30 days (then 7, then 1) while auto-renew is off; each threshold warns once per commitment. High within 7 days.',
  severity: 'medium',
  mitre: ['T1489'],
  reads: ['subscription-snapshot'],
  params,
  groupWindowMs: 24 * HOUR,
  plan({ event }, { params: p }) {
    const threshold = crossedThreshold(event.commitment_end_time, event.time, p.thresholdDays);
    if (event.auto_renew !== false || event.is_trial || event.status !== 'active' || threshold === null) return {};
    return {
      first: {
        op: 'keepFirst',
        key: `sub:${event.subscription_uid}:${event.commitment_end_time}:${threshold}`,
        value: event.event_id,
        ttlMs: (threshold + 2) * DAY,
      },
    };
  },
  decide({ event }, results, { params: p }) {
    if (results.first !== null || event.commitment_end_time === null) return [];
    const days = Math.ceil((event.commitment_end_time - event.time) / DAY);
    return [
      {
        entity: { type: 'subscription', id: event.subscription_uid },
        severity: days <= p.urgentDays ? 'high' : 'medium',
        at: event.time,
        summary: `Subscription ${subscriptionLabel(event)} ends in ${days} day(s), on ${new Date(event.commitment_end_time).toISOString().slice(0, 10)}, and will not renew`,
        details: { days_left: days, commitment_end: new Date(event.commitment_end_time).toISOString() },
      },
    ];
  },
});

/** The smallest threshold the remaining time is within, or null when none (or already ended). */
function crossedThreshold(end: number | null, at: number, thresholds: readonly number[]): number | null {
  if (end === null || end <= at) return null;
  const daysLeft = (end - at) / DAY;
  const within = thresholds.filter((days) => daysLeft <= days);
  return within.length ? Math.min(...within) : null;
}
