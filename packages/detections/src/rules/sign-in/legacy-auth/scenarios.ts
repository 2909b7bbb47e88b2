import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { HOUR, T0, signIn } from '../../../testing/sign-ins.ts';

const imap = (overrides = {}) => signIn({ client_app: 'IMAP4', is_legacy_auth: true, user_agent: null, ...overrides });

export const scenarios: Scenario[] = [
  {
    name: 'first IMAP4 success',
    fires: true,
    events: signIns([imap()]),
    expect: { severity: 'medium', summaryIncludes: ['legacy client IMAP4'] },
  },
  {
    name: 'ROPC agent BAV2ROPC',
    fires: true,
    events: signIns([signIn({ user_agent: 'BAV2ROPC' })]),
    expect: { details: { client: 'BAV2ROPC' } },
  },
  {
    name: 'IMAP4 yesterday and today: one alert for the first only',
    fires: true,
    events: signIns([imap({ time: T0 - 24 * HOUR }), imap()]),
    expect: { eventCount: 1 },
  },
  {
    // A mail client or scanner that never stops: its use keeps the client seen, so day 7 is not a "first".
    name: 'IMAP4 every day for ten days: one alert, for the first day only',
    fires: true,
    events: signIns(Array.from({ length: 10 }, (_, day) => imap({ time: T0 + day * 24 * HOUR }))),
    expect: { eventCount: 1 },
  },
  { name: 'IMAP4 failure', fires: false, events: signIns([imap({ status: 'failure', status_code: 50126 })]) },
  {
    name: 'scanner account on the exempt list',
    fires: false,
    events: signIns([imap({ user_name: 'scanner@fabrikam.example' })]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'AUTH-014': { exemptUsers: ['scanner@fabrikam.example'] } } } },
        },
      },
    },
  },
  { name: 'modern browser sign-in', fires: false, events: signIns([signIn()]) },
];
