import type { Scenario } from '../../../testing/scenario.ts';
import { subscriptionChange, subscriptionChanges } from '../fixtures.ts';

export const scenarios: Scenario[] = [
  {
    name: 'S1 active → suspended for non-payment',
    fires: true,
    events: subscriptionChanges([subscriptionChange({ suspension_reasons: ['PaymentIssue'] })]),
    expect: {
      severity: 'high',
      entityId: 'sub-s1',
      summaryIncludes: ['M365 BP (25 seats) went from active to suspended (PaymentIssue)'],
    },
  },
  {
    name: 'S1 suspended → deleted is not a new loss',
    fires: false,
    events: subscriptionChanges([subscriptionChange({ previous_value: 'suspended', current_value: 'deleted' })]),
  },
  {
    name: 'a trial expiring as scheduled',
    fires: false,
    events: subscriptionChanges([subscriptionChange({ is_trial: true })]),
  },
  {
    name: 'seat count changed',
    fires: false,
    events: subscriptionChanges([
      subscriptionChange({ change: 'quantity', previous_value: '25', current_value: '20', status: 'active' }),
    ]),
  },
];
