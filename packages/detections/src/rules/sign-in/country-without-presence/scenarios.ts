import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { HOUR, PLACES, T0, signIn, user } from '../../../testing/sign-ins.ts';

const presenceZa = { msps: { 'msp-contoso': { tenants: { 'tenant-fabrikam': { presenceCountries: ['ZA'] } } } } };
const onWorkLaptop = {
  device_uid: '5b1f1c1e-0d6e-4a43-9d6f-0c1b2a3d4e5f',
  device_name: 'FABRIKAM-LT-042',
  device_is_managed: true,
  device_is_compliant: true,
};
const fromLagos = (overrides = {}) => signIn({ src_ip: '203.0.113.90', ...PLACES.lagos, ...overrides });
/** Ten days of successes from Cape Town, 20 a day spread over the users. */
const history = (days: number) =>
  Array.from({ length: days * 20 }, (_, index) =>
    signIn({ user_name: user((index % 15) + 1), time: T0 - days * 24 * HOUR + index * 1.2 * HOUR }),
  );

export const scenarios: Scenario[] = [
  {
    name: 'configured presence ZA, success from NG',
    fires: true,
    events: signIns([fromLagos()]),
    settings: presenceZa,
    expect: { severity: 'medium', summaryIncludes: ['Lagos (NG)', 'configured presence ZA'] },
  },
  { name: 'configured presence ZA, success from ZA', fires: false, events: signIns([signIn()]), settings: presenceZa },
  {
    name: "configured presence ZA, success from NG on the user's managed laptop (business travel)",
    fires: false,
    events: signIns([fromLagos(onWorkLaptop)]),
    settings: presenceZa,
  },
  {
    name: 'configured presence ZA, success from NG on a registered but unmanaged phone',
    fires: true,
    events: signIns([fromLagos({ ...onWorkLaptop, device_is_managed: false, device_is_compliant: null })]),
    settings: presenceZa,
  },
  {
    name: 'configured presence ZA, success from NG on a managed laptop that is not compliant (still travel)',
    fires: false,
    events: signIns([fromLagos({ ...onWorkLaptop, device_is_compliant: false })]),
    settings: presenceZa,
  },
  {
    name: 'configured presence ZA, NG on a managed laptop, exemption turned off',
    fires: true,
    events: signIns([fromLagos(onWorkLaptop)]),
    settings: {
      msps: {
        'msp-contoso': {
          ruleParams: { 'AUTH-003': { exemptManagedDevices: false } },
          tenants: { 'tenant-fabrikam': { presenceCountries: ['ZA'] } },
        },
      },
    },
  },
  {
    name: 'configured presence ZA, failure from NG',
    fires: false,
    events: signIns([fromLagos({ status: 'failure', status_code: 50126 })]),
    settings: presenceZa,
  },
  {
    name: 'learned: 10 days of ZA history, then NG',
    fires: true,
    events: signIns([...history(10), fromLagos()]),
    expect: { summaryIncludes: ['0 of 200 earlier successes'] },
  },
  { name: 'learned: NG during the 7-day learning period', fires: false, events: signIns([...history(3), fromLagos()]) },
  {
    name: 'learned: a ZA success after 10 days of ZA history',
    fires: false,
    events: signIns([...history(10), signIn({ user_name: user(3) })]),
  },
];
