import type { Scenario } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { MINUTE, PLACES, T0, failedSignIn, user } from '../../../testing/sign-ins.ts';

const STUFFER = '192.0.2.66';

/** 4 users in tenant-1, 4 in tenant-2, 3 in tenant-3, one failure each, `gapMs` apart. */
function stuffing(tenants: readonly string[], gapMs = 3 * MINUTE, overrides: Parameters<typeof failedSignIn>[0] = {}) {
  return [4, 4, 3].flatMap((count, group) =>
    Array.from({ length: count }, (_, index) =>
      failedSignIn({
        tenant_id: tenants[group]!,
        user_name: user(index + 1, `${tenants[group]!}.example`),
        src_ip: STUFFER,
        ...PLACES.lagos,
        time: T0 + (group * 4 + index) * gapMs,
        ...overrides,
      }),
    ),
  );
}

const THREE = ['tenant-fabrikam', 'tenant-northwind', 'tenant-tailspin'];

export const scenarios: Scenario[] = [
  {
    name: '11 users in 3 tenants within 40 min from one IP',
    fires: true,
    events: signIns(stuffing(THREE, 3 * MINUTE)),
    expect: {
      severity: 'high',
      entityId: STUFFER,
      eventCount: 11,
      summaryIncludes: ['against 11 users in 3 tenants'],
      details: { distinct_tenants: '3' },
    },
  },
  {
    name: 'the same 11 failures all in one tenant',
    fires: false,
    events: signIns(stuffing(['tenant-fabrikam', 'tenant-fabrikam', 'tenant-fabrikam'])),
  },
  { name: 'spread over 3 h', fires: false, events: signIns(stuffing(THREE, 17 * MINUTE)) },
  {
    name: "the IP is the MSP's own egress",
    fires: false,
    events: signIns(stuffing(THREE)),
    settings: { msps: { 'msp-contoso': { trustedCidrs: ['192.0.2.0/24'] } } },
  },
  {
    name: 'partner-technician sign-ins',
    fires: false,
    events: signIns(stuffing(THREE, 3 * MINUTE, { raw: '{"crossTenantAccessType":"serviceProvider"}' })),
  },
];
