import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { MINUTE, PLACES, T0, failedSignIn, signIn, user } from '../../../testing/sign-ins.ts';

const SPRAYER = '203.0.113.7';

/** One 50126 failure per user from the sprayer, `gapMs` apart. */
function spray(users: number, gapMs: number, overrides: Parameters<typeof failedSignIn>[0] = {}) {
  return Array.from({ length: users }, (_, index) =>
    failedSignIn({
      user_name: user(index + 1),
      src_ip: SPRAYER,
      ...PLACES.moscow,
      time: T0 + index * gapMs,
      ...overrides,
    }),
  );
}

export const scenarios: Scenario[] = [
  {
    name: '10 users fail 50126 from one IP within 12 min',
    fires: true,
    events: signIns(spray(10, 80_000)),
    expect: {
      severity: 'medium',
      entityId: SPRAYER,
      eventCount: 10,
      summaryIncludes: ['against 10 users', 'in 12 min'],
    },
  },
  {
    name: 'spray, then a targeted user passes the password step (50076) from the same IP',
    fires: true,
    events: signIns([
      ...spray(10, 60_000),
      failedSignIn({
        user_name: user(4),
        src_ip: SPRAYER,
        time: T0 + 15 * MINUTE,
        status: 'interrupted',
        status_code: 50076,
      }),
    ]),
    expect: { severity: 'high', entityId: SPRAYER, summaryIncludes: [`then ${user(4)} passed the password step`] },
  },
  { name: '9 users only', fires: false, events: signIns(spray(9, 60_000)) },
  { name: '10 users over 45 min', fires: false, events: signIns(spray(10, 5 * MINUTE)) },
  {
    name: 'office NAT: 40 users succeeded from the IP today, a few mistype passwords',
    fires: false,
    events: signIns([
      ...Array.from({ length: 40 }, (_, index) =>
        signIn({ user_name: user(index + 1), src_ip: SPRAYER, time: T0 - 3 * 3_600_000 + index * MINUTE }),
      ),
      ...spray(10, 60_000),
    ]),
  },
  {
    name: 'the 10 failures are 50140 interrupts, not password failures',
    fires: false,
    events: signIns(spray(10, 60_000, { status: 'interrupted', status_code: 50140 })),
  },
  {
    name: 'the source is in the tenant trusted range',
    fires: false,
    events: signIns(spray(10, 60_000)),
    settings: { msps: { 'msp-contoso': { tenants: { 'tenant-fabrikam': { trustedCidrs: ['203.0.113.0/24'] } } } } },
  },
  {
    name: 'redacted partner IPs are not one source',
    fires: false,
    events: signIns(spray(12, 30_000, { src_ip: 'x.x.x.XXX' })),
  },
  {
    name: 'spray then a targeted user succeeds from another country: no escalation',
    fires: true,
    events: signIns([
      ...spray(10, 60_000),
      signIn({ user_name: user(4), src_ip: '198.51.100.10', time: T0 + 20 * MINUTE }),
    ]),
    expect: { severity: 'medium' },
  },
];
