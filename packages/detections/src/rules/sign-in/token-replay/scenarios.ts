import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { MINUTE, PLACES, T0, signIn } from '../../../testing/sign-ins.ts';

const opened = signIn({ session_id: 'S1', time: T0 });
const refresh = (overrides = {}) =>
  signIn({
    session_id: 'S1',
    is_interactive: false,
    src_ip: '203.0.113.120',
    ...PLACES.amsterdam,
    time: T0 + 40 * MINUTE,
    app_name: 'Microsoft Graph',
    ...overrides,
  });

export const scenarios: Scenario[] = [
  {
    name: 'session opened in ZA, refreshed from NL 40 min later',
    fires: true,
    events: signIns([opened, refresh()]),
    expect: {
      severity: 'high',
      summaryIncludes: ['used from ZA', 'from Amsterdam (NL)'],
      details: { new_origin: 'NL', session_origins: 'ZA' },
    },
  },
  {
    name: 'refresh from Microsoft service egress',
    fires: false,
    events: signIns([opened, refresh()]),
    settings: { msps: { 'msp-contoso': { ruleParams: { 'AUTH-021': { serviceCidrs: ['203.0.113.0/25'] } } } } },
  },
  {
    name: 'refresh from ZA over IPv6 (same country)',
    fires: false,
    events: signIns([opened, refresh({ src_ip: '2001:db8::25', ...PLACES.capeTown })]),
  },
  {
    name: 'IP granularity: same country, new address',
    fires: true,
    events: signIns([opened, refresh({ src_ip: '2001:db8::25', ...PLACES.capeTown })]),
    settings: { msps: { 'msp-contoso': { ruleParams: { 'AUTH-021': { granularity: 'ip' } } } } },
    expect: { details: { new_origin: '2001:db8::25', session_origins: '198.51.100.10' } },
  },
  { name: 'refresh of another session', fires: false, events: signIns([opened, refresh({ session_id: 'S2' })]) },
  {
    name: 'refresh from NL read before the interactive sign-in that opened the session in ZA (feeds read apart)',
    fires: true,
    events: signIns([refresh(), opened]),
    expect: {
      severity: 'high',
      summaryIncludes: ['opened from', 'refreshed non-interactively from NL'],
      details: { new_origin: 'NL', session_origins: 'ZA' },
    },
  },
  {
    name: 'interactive sign-ins from ZA and then NL read in reverse (travel, not replay)',
    fires: false,
    events: signIns([refresh({ is_interactive: true }), opened]),
  },
  {
    name: 'refresh from ZA read before the interactive sign-in from ZA',
    fires: false,
    events: signIns([refresh({ src_ip: '198.51.100.77', ...PLACES.capeTown }), opened]),
  },
  {
    name: 'interactive sign-in from NL in the same session (travel, not replay)',
    fires: false,
    events: signIns([opened, refresh({ is_interactive: true })]),
  },
];
