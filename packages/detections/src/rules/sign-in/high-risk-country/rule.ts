import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { MINUTE, isSuccess, place, untrustedIp } from '../shared.ts';

const params = z.object({
  /** Interactive only by default: Microsoft services refresh tokens from their own egress. */
  includeNonInteractive: z.boolean().default(false),
});

/**
 * AUTH-004: a successful sign-in from a country on the MSP's high-risk list.
 * Staff who really are there get a suppression (user, rule, until) instead of
 * a change to the list. Stateless.
 */
export const highRiskCountry = defineRule({
  id: 'AUTH-004',
  name: 'Sign-in from a high-risk country',
  description: "A successful sign-in whose country is on the MSP's high-risk list; trusted ranges are ignored.",
  severity: 'high',
  mitre: ['T1078.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan: () => ({}),
  decide({ event }, _results, { params: p, tenant }) {
    const country = event.src_country?.toUpperCase();
    if (!country || !tenant.highRiskCountries.has(country) || !isSuccess(event)) return [];
    if (!event.is_interactive && !p.includeNonInteractive) return [];
    const ip = untrustedIp(event, tenant);
    if (!ip) return [];
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        summary: `${event.user_name} signed in from ${place(event)}, a high-risk country for ${event.msp_id}, from ${ip}`,
        users: [event.user_name],
        ips: [ip],
        countries: [country],
        details: { country },
      },
    ];
  },
});
