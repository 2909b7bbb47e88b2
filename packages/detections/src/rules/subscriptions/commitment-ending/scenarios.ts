import type { Scenario } from '../../../testing/scenario.ts';
import { T0 } from '../../../testing/sign-ins.ts';
import { subscriptionSnapshot, subscriptionSnapshots } from '../fixtures.ts';

const DAY = 86_400_000;
const HOUR_MS = 3_600_000;
const ending = (daysLeft: number, overrides: Parameters<typeof subscriptionSnapshot>[0] = {}) =>
  subscriptionSnapshot({ auto_renew: false, commitment_end_time: T0 + daysLeft * DAY, ...overrides });

export const scenarios: Scenario[] = [
  {
    name: 'S1 ends in 29 days, auto-renew off',
    fires: true,
    events: subscriptionSnapshots([ending(29)]),
    expect: { severity: 'medium', entityId: 'sub-s1', summaryIncludes: ['ends in 29 day(s)', 'will not renew'] },
  },
  {
    name: 'S1 ends in 6 days: high',
    fires: true,
    events: subscriptionSnapshots([ending(6)]),
    expect: { severity: 'high' },
  },
  {
    name: 'hourly polls inside the 30-day threshold warn once',
    fires: true,
    events: subscriptionSnapshots([ending(29.5, { time: T0 - HOUR_MS }), ending(29.5)]),
    expect: { eventCount: 1 },
  },
  { name: 'auto-renew on', fires: false, events: subscriptionSnapshots([ending(29, { auto_renew: true })]) },
  { name: 'a trial', fires: false, events: subscriptionSnapshots([ending(29, { is_trial: true })]) },
  { name: 'ends in 45 days', fires: false, events: subscriptionSnapshots([ending(45)]) },
];
