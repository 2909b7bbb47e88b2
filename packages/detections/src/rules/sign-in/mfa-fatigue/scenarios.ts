import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { HOUR, T0, failedSignIn, signIn } from '../../../testing/sign-ins.ts';

/** `count` 500121 denials 50 s apart, spread over `attempts` correlation ids. */
const denials = (count: number, attempts: number) =>
  Array.from({ length: count }, (_, index) =>
    failedSignIn({
      status_code: 500121,
      status_detail: 'MFA denied; user declined the authentication',
      time: T0 + index * 50_000,
      correlation_id: `attempt-${index % attempts}`,
    }),
  );

export const scenarios: Scenario[] = [
  {
    name: '10 denials across 3 attempts in 8 min',
    fires: true,
    events: signIns(denials(10, 3)),
    expect: { severity: 'high', eventCount: 10, details: { followed_by_success: 'false' } },
  },
  {
    name: '11 denials then a success from the same IP within 5 min',
    fires: true,
    events: signIns([...denials(11, 4), signIn({ time: T0 + 11 * 50_000 })]),
    expect: {
      eventCount: 12,
      summaryIncludes: ['then signed in successfully'],
      details: { followed_by_success: 'true' },
    },
  },
  { name: '9 denials', fires: false, events: signIns(denials(9, 3)) },
  { name: '10 records of one attempt (republished)', fires: false, events: signIns(denials(10, 1)) },
  {
    name: '9 denials, then a success 2 h later',
    fires: false,
    events: signIns([...denials(9, 3), signIn({ time: T0 + 2 * HOUR })]),
  },
];
