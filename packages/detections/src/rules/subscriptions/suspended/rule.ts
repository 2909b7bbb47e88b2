import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, subscriptionLabel } from '../shared.ts';

const params = z.object({
  /** Statuses in which the customer's users lose service. */
  lostStatuses: z.array(z.string()).default(['suspended', 'deleted', 'disabled']),
});

/** SUB-001: a Partner Center subscription suspended or deleted (trials ending on schedule excepted). */
export const subscriptionSuspended = defineRule({
  id: 'SUB-001',
  name: 'Subscription suspended or deleted',
  description:
    'A Partner Center subscription whose status changed from a serving state to suspended, deleted or disabled between two polls; users lose service. Trials are left out, since they lapse on purpose. Suspension reasons are kept in the details.',
  severity: 'high',
  mitre: ['T1489'],
  reads: ['subscription-change'],
  params,
  groupWindowMs: 24 * HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (event.change !== 'status' || event.is_trial) return [];
    const lost = (status: string | null) => status !== null && p.lostStatuses.includes(status.toLowerCase());
    if (!lost(event.current_value) || lost(event.previous_value)) return [];
    const reasons = event.suspension_reasons.join(', ');
    return [
      {
        entity: { type: 'subscription', id: event.subscription_uid },
        at: event.time,
        summary: `Subscription ${subscriptionLabel(event)} went from ${event.previous_value ?? 'unknown'} to ${event.current_value}${reasons ? ` (${reasons})` : ''}`,
        details: { previous: event.previous_value ?? 'unknown', current: event.current_value!, reasons },
      },
    ];
  },
});
