import { z } from 'zod';
import type { SignIn } from '@nightjar/events';
import { cidrSet, normalizeIp } from '../../../net/ip.ts';
import type { CidrSet } from '../../../net/ip.ts';
import type { WindowEntry } from '@nightjar/state';
import { defineRule, type Finding } from '../../../rule.ts';
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
 *
 * Interactive and non-interactive sign-ins are separate feeds, read apart, so
 * a refresh may reach the rule before the interactive sign-in that opened its
 * session. Interactive origins are therefore also kept on their own, and an
 * interactive sign-in that brings a new origin looks for origins first seen
 * after it that no interactive sign-in explains: the refresh it missed.
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
    const window = { member: origin, at: event.time, windowMs: p.sessionTtlMs } as const;
    return {
      seen: { op: 'windowAdd', key: sessionKey(event), ...window },
      interactive: event.is_interactive ? { op: 'windowRecord', key: interactiveKey(event), ...window } : undefined,
    };
  },
  followUp({ event }, results, { params: p }) {
    if (!results.seen?.added) return {};
    const ttl = p.sessionTtlMs;
    if (event.is_interactive) {
      return {
        later: { op: 'range', key: sessionKey(event), from: event.time + 1, to: event.time + ttl, limit: 20 },
        opened: { op: 'range', key: interactiveKey(event), from: event.time - ttl, to: event.time + ttl, limit: 20 },
      };
    }
    if (results.seen.count < 2) return {};
    return {
      origins: { op: 'range', key: sessionKey(event), from: event.time - ttl, to: event.time + ttl, limit: 20 },
    };
  },
  decide({ event }, _results, { params: p, tenant }, more) {
    const origin = originOf(event, p, tenant);
    if (!origin) return [];
    if (event.is_interactive) return refreshReadFirst(event, origin, more.later, more.opened, p);
    if (!more.origins) return [];
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

/**
 * The interactive path: origins first seen after this sign-in that no
 * interactive sign-in of the session came from were refreshes from elsewhere,
 * read before this sign-in because their feed ran ahead.
 */
function refreshReadFirst(
  event: SignIn,
  origin: string,
  later: readonly WindowEntry[] | undefined,
  opened: readonly WindowEntry[] | undefined,
  p: Params,
): Finding[] {
  if (!later || !opened) return [];
  const interactive = new Set(opened.map((entry) => entry.member));
  const replayed = later.filter((entry) => entry.member !== origin && !interactive.has(entry.member));
  if (replayed.length === 0) return [];
  const session = event.session_id ?? event.correlation_id ?? '';
  const origins = replayed.map((entry) => entry.member);
  return [
    {
      entity: { type: 'user', id: event.user_name },
      at: Math.min(...replayed.map((entry) => entry.at)),
      summary: `${event.user_name}'s session ${session}, opened from ${place(event)}, had a token refreshed non-interactively from ${origins.join(', ')} within ${formatHours(p.sessionTtlMs)}`,
      users: [event.user_name],
      ips: [normalizeIp(event.src_ip)!],
      countries: event.src_country ? [event.src_country.toUpperCase()] : [],
      details: { session, new_origin: origins.join(','), session_origins: origin, window_h: p.sessionTtlMs / HOUR },
    },
  ];
}

const formatHours = (ms: number): string => `${ms / HOUR} h`;

function sessionKey(event: SignIn): string {
  return `session:${event.user_uid}:${event.session_id ?? event.correlation_id}`;
}

function interactiveKey(event: SignIn): string {
  return `interactive:${event.user_uid}:${event.session_id}`;
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
