import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { DAY, isSuccess, place, untrustedIp } from '../shared.ts';

const params = z.object({
  /** Until the tenant has successes on this many distinct days, its learned presence is not trusted to judge. */
  learningDays: z.number().int().positive().default(7),
  /** A country counts as presence once this many earlier successes came from it… */
  minSuccesses: z.number().int().positive().default(3),
  /** …and they are at least this share of the tenant's successes. */
  minShare: z.number().min(0).max(1).default(0.01),
  /** How long learned counters live (refreshed as the tenant keeps signing in). */
  historyMs: z
    .number()
    .int()
    .positive()
    .default(30 * DAY),
  includeNonInteractive: z.boolean().default(false),
  /**
   * A success from a device the organisation manages (compliant or not: compliance is the
   * device rules' business) is the user travelling with their work device, not someone with
   * their password: the leading false positive of this rule.
   */
  exemptManagedDevices: z.boolean().default(true),
});

/**
 * AUTH-003: a success from a country where the tenant has no presence. The
 * presence list is the configured one; without it, it is learned: a success
 * counter per country and in total, and the distinct days with successes
 * (a window of day numbers) for the learning period.
 */
export const countryWithoutPresence = defineRule({
  id: 'AUTH-003',
  name: 'Sign-in from a country where the tenant has no presence',
  description:
    "A successful sign-in from a country outside the tenant's countries of presence: the configured list, or else countries holding at least 3 successes and 1 % of the tenant's successes in its history, once successes were seen on 7 distinct days. Sign-ins from a device the organisation manages count as business travel.",
  severity: 'medium',
  mitre: ['T1078.004'],
  reads: ['sign-in'],
  params,
  // A trip is one incident: the user's sign-ins abroad days apart join the alert opened by the first.
  groupWindowMs: 3 * DAY,
  plan({ event }, { params: p, tenant }) {
    const country = event.src_country?.toUpperCase();
    if (!country || !isSuccess(event) || !untrustedIp(event, tenant)) return {};
    if (!event.is_interactive && !p.includeNonInteractive) return {};
    if (tenant.presenceCountries) return {};
    return {
      days: {
        op: 'windowAdd',
        key: 'presence:days',
        member: String(Math.floor(event.time / DAY)),
        at: event.time,
        windowMs: p.historyMs,
      },
      fromCountry: { op: 'count', key: `presence:country:${country}`, by: 1, ttlMs: p.historyMs },
      total: { op: 'count', key: 'presence:total', by: 1, ttlMs: p.historyMs },
    };
  },
  decide({ event }, results, { params: p, tenant }) {
    const country = event.src_country?.toUpperCase();
    if (!country || !isSuccess(event) || !untrustedIp(event, tenant)) return [];
    if (!event.is_interactive && !p.includeNonInteractive) return [];
    if (p.exemptManagedDevices && event.device_is_managed === true) return [];
    let basis: string;
    if (tenant.presenceCountries) {
      if (tenant.presenceCountries.includes(country)) return [];
      basis = `configured presence ${tenant.presenceCountries.join(', ')}`;
    } else {
      if (!results.days || results.fromCountry === undefined || results.total === undefined) return [];
      if (results.days.count < p.learningDays) return [];
      const earlier = results.fromCountry - 1;
      if (earlier >= p.minSuccesses && earlier / Math.max(1, results.total - 1) >= p.minShare) return [];
      basis = `${earlier} of ${results.total - 1} earlier successes came from ${country}`;
    }
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        summary: `${event.user_name} signed in from ${place(event)}, where tenant ${event.tenant_id} has no presence (${basis})`,
        users: [event.user_name],
        ips: event.src_ip ? [event.src_ip] : [],
        countries: [country],
        details: { country },
      },
    ];
  },
});
