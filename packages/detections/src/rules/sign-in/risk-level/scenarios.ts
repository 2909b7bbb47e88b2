import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { signIn } from '../../../testing/sign-ins.ts';

const risky = (overrides = {}) =>
  signIn({
    risk_level_during: 'high',
    risk_level_aggregated: 'medium',
    risk_state: 'atRisk',
    risk_event_types: ['unfamiliarFeatures'],
    ...overrides,
  });

export const scenarios: Scenario[] = [
  {
    name: 'success with riskLevelDuringSignIn high, atRisk',
    fires: true,
    events: signIns([risky()]),
    expect: { severity: 'high', summaryIncludes: ['high risk (unfamiliarFeatures)'] },
  },
  {
    name: 'aggregated medium only',
    fires: true,
    events: signIns([risky({ risk_level_during: 'none' })]),
    expect: { severity: 'medium' },
  },
  {
    name: 'confirmed compromised',
    fires: true,
    events: signIns([risky({ risk_state: 'confirmedCompromised' })]),
    expect: { severity: 'critical' },
  },
  {
    name: "risk level 'hidden' (no P2 licence)",
    fires: false,
    events: signIns([risky({ risk_level_during: 'hidden', risk_level_aggregated: 'hidden' })]),
  },
  { name: 'risk state remediated', fires: false, events: signIns([risky({ risk_state: 'remediated' })]) },
  {
    name: 'risk level low',
    fires: false,
    events: signIns([risky({ risk_level_during: 'low', risk_level_aggregated: 'low' })]),
  },
];
