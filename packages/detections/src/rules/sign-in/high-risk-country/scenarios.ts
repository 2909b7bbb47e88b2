import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { PLACES, T0, signIn } from '../../../testing/sign-ins.ts';

const riskyList = { highRiskCountries: ['RU', 'IR', 'KP'] };
const fromMoscow = (overrides = {}) => signIn({ src_ip: '203.0.113.80', ...PLACES.moscow, ...overrides });

export const scenarios: Scenario[] = [
  {
    name: 'success from RU with RU on the MSP list',
    fires: true,
    events: signIns([fromMoscow()]),
    settings: { msps: { 'msp-contoso': riskyList } },
    expect: { severity: 'high', entityId: 'ana@fabrikam.example', summaryIncludes: ['Moscow (RU)'] },
  },
  { name: 'success from RU without a list', fires: false, events: signIns([fromMoscow()]) },
  {
    name: 'failure from RU',
    fires: false,
    events: signIns([fromMoscow({ status: 'failure', status_code: 50126 })]),
    settings: { msps: { 'msp-contoso': riskyList } },
  },
  {
    name: 'success from RU with an active travel exemption for the user',
    fires: false,
    events: signIns([fromMoscow()]),
    settings: {
      msps: {
        'msp-contoso': {
          ...riskyList,
          tenants: {
            'tenant-fabrikam': {
              suppressions: [{ rule: 'AUTH-004', user: 'ana@fabrikam.example', until: T0 + 86_400_000 }],
            },
          },
        },
      },
    },
  },
  {
    name: 'an expired exemption does not silence it',
    fires: true,
    events: signIns([fromMoscow()]),
    settings: {
      msps: { 'msp-contoso': { ...riskyList, suppressions: [{ user: 'ana@fabrikam.example', until: T0 - 1 }] } },
    },
  },
];
