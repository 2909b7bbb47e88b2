import type { Scenario } from '../../../testing/scenario.ts';
import { T0 } from '../../../testing/sign-ins.ts';
import { deviceChange, deviceChanges } from '../fixtures.ts';

const DAY = 86_400_000;
const stale = (overrides: Parameters<typeof deviceChange>[0] = {}) =>
  deviceChange({ change: 'stale', compliance_state: 'compliant', last_sync_time: T0 - 31 * DAY, ...overrides });

export const scenarios: Scenario[] = [
  {
    name: 'D2 last synced 31 days ago',
    fires: true,
    events: deviceChanges([stale()]),
    expect: { severity: 'low', summaryIncludes: ['has not checked in for 31 days'] },
  },
  { name: 'a personal device goes quiet', fires: false, events: deviceChanges([stale({ owner_type: 'personal' })]) },
  { name: 'an OS update, not staleness', fires: false, events: deviceChanges([stale({ change: 'os_version' })]) },
];
