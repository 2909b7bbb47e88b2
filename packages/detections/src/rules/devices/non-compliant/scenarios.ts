import type { Scenario } from '../../../testing/scenario.ts';
import { deviceChange, deviceChanges } from '../fixtures.ts';

export const scenarios: Scenario[] = [
  {
    name: 'D1 compliant → noncompliant',
    fires: true,
    events: deviceChanges([deviceChange()]),
    expect: {
      severity: 'medium',
      entityId: 'device-d1',
      summaryIncludes: ['FAB-LT-0042 (ana@fabrikam.example) turned noncompliant'],
    },
  },
  {
    name: 'D1 turned noncompliant and is unencrypted',
    fires: true,
    events: deviceChanges([deviceChange({ is_encrypted: false })]),
    expect: { severity: 'high' },
  },
  {
    name: 'compliant → inGracePeriod',
    fires: false,
    events: deviceChanges([deviceChange({ current_value: 'inGracePeriod', compliance_state: 'inGracePeriod' })]),
  },
  {
    name: 'noncompliant → error is the same failure',
    fires: false,
    events: deviceChanges([deviceChange({ previous_value: 'noncompliant', current_value: 'error' })]),
  },
  {
    name: 'noncompliant → compliant',
    fires: false,
    events: deviceChanges([deviceChange({ previous_value: 'noncompliant', current_value: 'compliant' })]),
  },
];
