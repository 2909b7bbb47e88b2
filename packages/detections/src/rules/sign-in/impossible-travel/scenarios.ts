import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { HOUR, MINUTE, PLACES, T0, signIn } from '../../../testing/sign-ins.ts';

const capeTown = (overrides = {}) => signIn({ src_ip: '198.51.100.10', ...PLACES.capeTown, time: T0, ...overrides });
const bucharest = (overrides = {}) =>
  signIn({ src_ip: '203.0.113.50', ...PLACES.bucharest, time: T0 + 20 * MINUTE, ...overrides });
const trustVpn = { msps: { 'msp-contoso': { tenants: { 'tenant-fabrikam': { trustedCidrs: ['203.0.113.0/24'] } } } } };

export const scenarios: Scenario[] = [
  {
    name: 'Cape Town, then Bucharest 20 min later',
    fires: true,
    events: signIns([capeTown(), bucharest()]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      eventCount: 2,
      summaryIncludes: [
        'from Cape Town (ZA), then 20 min later from Bucharest (RO)',
        'about 8,750 km',
        'about 26,000 km/h',
      ],
      details: { minutes: '20' },
    },
  },
  {
    name: 'Bucharest arrives before Cape Town (out of order): fires once',
    fires: true,
    events: signIns([bucharest(), capeTown()]),
    expect: { eventCount: 2, summaryIncludes: ['from Cape Town (ZA), then 20 min later from Bucharest (RO)'] },
  },
  {
    name: 'the same pair replayed twice: one alert, no extra evidence',
    fires: true,
    events: (() => {
      const pair = signIns([capeTown(), bucharest()]);
      return [...pair, ...pair];
    })(),
    expect: { eventCount: 2 },
  },
  {
    name: 'Amsterdam then Frankfurt 20 min later (≈363 km < 500 km)',
    fires: false,
    events: signIns([capeTown(PLACES.amsterdam), bucharest(PLACES.frankfurt)]),
  },
  {
    name: 'Cape Town then London 12 h later (≈806 km/h)',
    fires: false,
    events: signIns([capeTown(), bucharest({ ...PLACES.london, time: T0 + 12 * HOUR })]),
  },
  {
    name: 'Cape Town then Stellenbosch (≈40 km)',
    fires: false,
    events: signIns([capeTown(), bucharest(PLACES.stellenbosch)]),
  },
  {
    name: 'Bucharest side is the tenant trusted VPN range',
    fires: false,
    events: signIns([capeTown(), bucharest()]),
    settings: trustVpn,
  },
  {
    name: 'Bucharest side is known anonymizer egress',
    fires: false,
    events: signIns([capeTown(), bucharest()]),
    settings: { msps: { 'msp-contoso': { anonymizerCidrs: ['203.0.113.0/26'] } } },
  },
  {
    name: 'same IP re-geolocated',
    fires: false,
    events: signIns([capeTown(), bucharest({ src_ip: '198.51.100.10' })]),
  },
  {
    name: 'second sign-in failed',
    fires: false,
    events: signIns([capeTown(), bucharest({ status: 'failure', status_code: 50126 })]),
  },
  {
    name: 'second sign-in is a non-interactive refresh',
    fires: false,
    events: signIns([capeTown(), bucharest({ is_interactive: false })]),
  },
  {
    name: 'different users',
    fires: false,
    events: signIns([capeTown(), bucharest({ user_name: 'bo@fabrikam.example', user_uid: 'uid-bo' })]),
  },
];
