import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { HOUR, MINUTE, T0, signIn, userSnapshot } from '../../../testing/sign-ins.ts';

const disabled = { kind: 'user-snapshot' as const, event: userSnapshot({ account_enabled: false, time: T0 }) };
const enabled = (time: number) => ({
  kind: 'user-snapshot' as const,
  event: userSnapshot({ account_enabled: true, time }),
});

export const scenarios: Scenario[] = [
  {
    name: 'snapshot shows ana disabled at t0; success at t0+3h',
    fires: true,
    events: [disabled, ...signIns([signIn({ time: T0 + 3 * HOUR })])],
    expect: { severity: 'high', summaryIncludes: ['3 h after the account was disabled'] },
  },
  {
    name: 'disabled seen on two polls: the first one counts',
    fires: true,
    events: [
      disabled,
      { kind: 'user-snapshot', event: userSnapshot({ account_enabled: false, time: T0 + HOUR }) },
      ...signIns([signIn({ time: T0 + 2 * HOUR })]),
    ],
    expect: { summaryIncludes: ['2 h after'] },
  },
  {
    name: 'success 20 min after the disable (token grace window)',
    fires: false,
    events: [disabled, ...signIns([signIn({ time: T0 + 20 * MINUTE })])],
  },
  {
    name: 're-enabled at t0+2h, success at t0+3h',
    fires: false,
    events: [disabled, enabled(T0 + 2 * HOUR), ...signIns([signIn({ time: T0 + 3 * HOUR })])],
  },
  {
    name: 'failed sign-in while disabled',
    fires: false,
    events: [disabled, ...signIns([signIn({ time: T0 + 3 * HOUR, status: 'failure', status_code: 50057 })])],
  },
  {
    name: 'another user disabled',
    fires: false,
    events: [disabled, ...signIns([signIn({ user_name: 'bo@fabrikam.example', time: T0 + 3 * HOUR })])],
  },
];
