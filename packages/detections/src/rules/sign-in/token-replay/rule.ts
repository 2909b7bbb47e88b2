import { z } from 'zod';
import type { SignIn } from '@nightjar/events';
import { cidrSet, normalizeIp } from '../../../net/ip.ts';
import type { CidrSet } from '../../../net/ip.ts';
import { defineRule } from '../../../rule.ts';
import type { TenantSettings } from '../../../settings.ts';
import { HOUR, MINUTE, isSuccess, place } from '../shared.ts';

const params = z.object({
  /** How long a session's origins are remembered: the lifetime of the tokens it can refresh. */
  sessionTtlMs: z
    .number()
    .int()
    .positive()
    .default(24 * HOUR),
  /**
   * What counts as new infrastructure. 'country' (default) keeps dual-stack
   * IPv6 and carrier NAT inside one country quiet; 'ip' is stricter.
   */
  granularity: z.enum(['country', 'ip']).default('country'),
  /**
   * Microsoft's own service egress (and other token brokers): refreshes from
   * there are Microsoft acting for the user. Configure per MSP as ruleParams.
   */
  serviceCidrs: z.array(z.string()).default([]),
});
type Params = z.infer<typeof params>;

/**
 * AUTH-021: a non-interactive success in a session (session id, else the
 * correlation id of a non-interactive sign-in) from an origin the session was
 * never seen at. Every successful sign-in of the session records its origin;
 * only a non-interactive one from a new origin reads the others back.
 */
export const tokenReplay = defineRule({
  id: 'AUTH-021',
  name: 'Token replay from new infrastructure',
  description:
    "A non-interactive sign-in of a user's session from a country (or IP, if so configured) the session was never used from within its token lifetime. Trusted ranges and configured Microsoft service egress are ignored.",
  severity: 'high',
  mitre: ['T1550.001', 'T1539', 'T1078.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p, tenant }) {
    const origin = originOf(event, p, tenant);
    if (!origin) return {};
    return {
      seen: { op: 'windowAdd', key: sessionKey(event), member: origin, at: event.time, windowMs: p.sessionTtlMs },
    };
  },
  followUp({ event }, results, { params: p }) {
    if (event.is_interactive || !results.seen?.added || results.seen.count < 2) return {};
    const from = event.time - p.sessionTtlMs;
    return { origins: { op: 'range', key: sessionKey(event), from, to: event.time + p.sessionTtlMs, limit: 20 } };
  },
  decide({ event }, _results, { params: p, tenant }, more) {
    const origin = originOf(event, p, tenant);
    if (!more.origins || !origin) return [];
    const earlier = more.origins.filter((entry) => entry.member !== origin).map((entry) => entry.member);
    if (earlier.length === 0) return [];
    const session = event.session_id ?? event.correlation_id ?? '';
    const ip = normalizeIp(event.src_ip)!;
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        summary: `${event.user_name}'s session ${session}, used from ${earlier.join(', ')}, refreshed a token non-interactively from ${place(event)} (${ip}) for ${event.app_name ?? 'an unknown app'}`,
        users: [event.user_name],
        ips: [ip],
        countries: event.src_country ? [event.src_country.toUpperCase()] : [],
        details: { session, new_origin: origin, session_origins: earlier.join(','), window_h: p.sessionTtlMs / HOUR },
      },
    ];
  },
});

function sessionKey(event: SignIn): string {
  return `session:${event.user_uid}:${event.session_id ?? event.correlation_id}`;
}

/** Where the session was used from, or null when this sign-in says nothing about it. */
function originOf(event: SignIn, p: Params, tenant: TenantSettings): string | null {
  const session = event.session_id ?? (event.is_interactive ? null : event.correlation_id);
  const ip = normalizeIp(event.src_ip);
  if (!session || !ip || !isSuccess(event) || tenant.trusted.has(ip) || services(p.serviceCidrs).has(ip)) return null;
  return p.granularity === 'ip' ? ip : (event.src_country?.toUpperCase() ?? null);
}

const compiled = new Map<string, CidrSet>();
/** Parsed parameters are cached per tenant by the engine; their CIDR sets are cached here by content. */
function services(ranges: readonly string[]): CidrSet {
  const key = ranges.join(',');
  let set = compiled.get(key);
  if (!set) compiled.set(key, (set = cidrSet(ranges)));
  return set;
}
