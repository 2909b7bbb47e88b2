import { z } from 'zod';
import type { SignIn } from '@nightjar/events';
import { distanceKm, formatDuration, roughly } from '../../../geo/distance.ts';
import { normalizeIp } from '../../../net/ip.ts';
import { defineRule } from '../../../rule.ts';
import type { Finding } from '../../../rule.ts';
import type { TenantSettings } from '../../../settings.ts';
import { DAY, HOUR, MINUTE, isSuccess } from '../shared.ts';

const params = z.object({
  /** A cruising airliner (Panther's threshold). */
  speedKmh: z.number().positive().default(900),
  /** Below this effective distance, "travel" is geolocation noise (Elastic's floor). */
  minDistanceKm: z.number().nonnegative().default(500),
  /** Geolocation error radius assumed on each side; subtracted twice from the distance. */
  accuracyKm: z.number().nonnegative().default(50),
  /** How far apart in event time two successes may be and still be compared. */
  lookbackMs: z.number().int().positive().default(DAY),
  /** Floor on the time between sign-ins, so near-simultaneous pairs do not divide by zero. */
  minIntervalMs: z.number().int().positive().default(MINUTE),
});
type Params = z.infer<typeof params>;

/** A usable success as kept in the user's history window. */
interface Point {
  readonly id: string;
  readonly at: number;
  readonly ip: string;
  readonly lat: number;
  readonly lon: number;
  readonly country: string | null;
  readonly city: string | null;
}

/**
 * AUTH-001 (detections.md §2.3): each usable interactive success of a user is
 * compared with its neighbours in event time (predecessor and successor), so
 * late or out-of-order events still pair up and a replay changes nothing.
 * Trusted ranges and known VPN/hosting egress are never a point or a baseline.
 */
export const impossibleTravel = defineRule({
  id: 'AUTH-001',
  name: 'Impossible travel between successful sign-ins',
  description:
    'Two successful interactive sign-ins of one user whose effective distance (great-circle minus the geolocation error of both sides) is at least 500 km and would need more than 900 km/h. Same-IP pairs, trusted ranges and anonymizer egress are ignored.',
  severity: 'high',
  mitre: ['T1078.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 30 * MINUTE,
  plan({ event }, { params: p, tenant }) {
    const point = usablePoint(event, tenant);
    if (!point) return {};
    const key = `user:${event.user_uid}`;
    return {
      history: { op: 'range', key, from: event.time - p.lookbackMs, to: event.time + p.lookbackMs, limit: 500 },
      remember: {
        op: 'windowRecord',
        key,
        member: JSON.stringify(point),
        at: event.time,
        windowMs: p.lookbackMs,
        ttlMs: 2 * p.lookbackMs,
      },
    };
  },
  decide({ event }, results, { params: p, tenant }) {
    const current = usablePoint(event, tenant);
    if (!current || !results.history) return [];
    const others = results.history
      .map((entry) => JSON.parse(entry.member) as Point)
      .filter((point) => point.id !== current.id && !tenant.trusted.has(point.ip) && !tenant.anonymizers.has(point.ip));
    const before = others.filter((point) => point.at <= current.at).at(-1);
    const after = others.find((point) => point.at > current.at);
    const findings: Finding[] = [];
    if (before) findings.push(...travel(event, before, current, p));
    if (after) findings.push(...travel(event, current, after, p));
    return findings;
  },
});

function usablePoint(event: SignIn, tenant: TenantSettings): Point | null {
  if (!isSuccess(event) || !event.is_interactive || event.src_lat === null || event.src_lon === null) return null;
  const ip = normalizeIp(event.src_ip);
  if (!ip || tenant.trusted.has(ip) || tenant.anonymizers.has(ip)) return null;
  if (event.risk_event_types.includes('anonymizedIPAddress')) return null;
  return {
    id: event.event_id,
    at: event.time,
    ip,
    lat: event.src_lat,
    lon: event.src_lon,
    country: event.src_country,
    city: event.src_city,
  };
}

function travel(event: SignIn, from: Point, to: Point, p: Params): Finding[] {
  if (from.ip === to.ip) return [];
  const km = distanceKm(from, to);
  const effectiveKm = Math.max(0, km - 2 * p.accuracyKm);
  const elapsedMs = to.at - from.at;
  const hours = Math.max(elapsedMs, p.minIntervalMs) / HOUR;
  if (effectiveKm < p.minDistanceKm || effectiveKm / hours < p.speedKmh) return [];
  const speed = km / hours;
  const where = (point: Point): string =>
    point.city ? `${point.city} (${point.country ?? '??'})` : (point.country ?? point.ip);
  return [
    {
      entity: { type: 'user', id: event.user_name },
      at: to.at,
      since: from.at,
      summary: `${event.user_name} signed in from ${where(from)}, then ${formatDuration(elapsedMs)} later from ${where(to)}: about ${roughly(km)} km, which would need about ${roughly(speed)} km/h`,
      relatedEventIds: [from.id, to.id],
      users: [event.user_name],
      ips: [from.ip, to.ip],
      countries: [from.country, to.country].filter((country): country is string => country !== null),
      details: {
        distance_km: Math.round(km),
        effective_distance_km: Math.round(effectiveKm),
        minutes: Math.round(elapsedMs / MINUTE),
        speed_kmh: Math.round(speed),
        from_ip: from.ip,
        to_ip: to.ip,
      },
    },
  ];
}
