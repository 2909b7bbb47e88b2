import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { T0, failedSignIn } from '../../../testing/sign-ins.ts';

/** Failures against ana with irregular gaps from rotating IPs, unless overridden. */
function guesses(count: number, spanMs: number, overrides: Parameters<typeof failedSignIn>[0] = {}) {
  return Array.from({ length: count }, (_, index) =>
    failedSignIn({
      time: T0 + Math.round((index * spanMs) / count + (index % 3) * 7_000),
      src_ip: `203.0.113.${(index % 4) + 1}`,
      ...overrides,
    }),
  );
}

export const scenarios: Scenario[] = [
  {
    name: '20 password failures in 9 min',
    fires: true,
    events: signIns(guesses(20, 9 * 60_000)),
    expect: {
      severity: 'medium',
      entityId: 'ana@fabrikam.example',
      eventCount: 20,
      summaryIncludes: ['20 password failures', 'from 4 IP(s)'],
    },
  },
  { name: '19 failures in 9 min', fires: false, events: signIns(guesses(19, 9 * 60_000)) },
  { name: '20 failures over 30 min', fires: false, events: signIns(guesses(20, 30 * 60_000)) },
  {
    name: '20 interrupts 50140',
    fires: false,
    events: signIns(guesses(20, 9 * 60_000, { status: 'interrupted', status_code: 50140 })),
  },
  {
    name: 'stale-password loop: one IP, one mail app in the background, every 25 s',
    fires: false,
    events: signIns(
      Array.from({ length: 22 }, (_, index) =>
        failedSignIn({
          time: T0 + index * 25_000,
          src_ip: '198.51.100.10',
          user_agent: 'iOS-Mail/16',
          client_app: 'Mobile Apps and Desktop clients',
          is_interactive: false,
        }),
      ),
    ),
  },
  {
    name: 'scripted guessing at the sign-in page: one IP, one agent, every 21 s',
    fires: true,
    events: signIns(
      Array.from({ length: 25 }, (_, index) =>
        failedSignIn({ time: T0 + index * 21_600, src_ip: '198.51.100.66', user_agent: 'python-requests/2.31' }),
      ),
    ),
    expect: { severity: 'medium', entityId: 'ana@fabrikam.example' },
  },
];
