import { z } from 'zod';
import { formatDuration } from '../../../geo/distance.ts';
import { defineRule } from '../../../rule.ts';
import { MINUTE, PASSWORD_FAILURE_CODES, distinct, splitMember, untrustedIp } from '../shared.ts';

const params = z.object({
  minTenants: z.number().int().min(2).default(3),
  minUsers: z.number().int().min(2).default(10),
  windowMs: z
    .number()
    .int()
    .positive()
    .default(60 * MINUTE),
  failureCodes: z.array(z.number().int()).default(PASSWORD_FAILURE_CODES),
});

/** Partner technicians (CSP/GDAP) sign in across customers by design. */
const SERVICE_PROVIDER = /"crossTenantAccessType"\s*:\s*"serviceProvider"/;

/**
 * AUTH-007: one IP with password-class failures against users of several
 * customers of the same MSP: a view no single-tenant SIEM has. Its windows
 * are MSP-wide (scope 'msp'), shared by every detector process through the
 * state store, so the failures may arrive on any partition.
 */
export const crossTenantSpray = defineRule({
  id: 'AUTH-007',
  name: 'Credential stuffing across tenants',
  description:
    "One IP fails with password-class codes against at least 10 users in at least 3 of the MSP's tenants within 60 minutes. The MSP's own egress (trusted ranges) and partner-technician sign-ins are excluded.",
  severity: 'high',
  mitre: ['T1110.003', 'T1110.004'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p, tenant }) {
    const ip = untrustedIp(event, tenant);
    if (!ip || !p.failureCodes.includes(event.status_code) || SERVICE_PROVIDER.test(event.raw)) return {};
    const at = event.time;
    const who = `${event.tenant_id}/${event.user_name}`;
    return {
      pairs: { op: 'windowAdd', scope: 'msp', key: `pairs:${ip}`, member: who, at, windowMs: p.windowMs },
      tenants: {
        op: 'windowAdd',
        scope: 'msp',
        key: `tenants:${ip}`,
        member: event.tenant_id,
        at,
        windowMs: p.windowMs,
      },
      attempts: {
        op: 'windowAdd',
        scope: 'msp',
        key: `attempts:${ip}`,
        member: `${who}|${event.event_id}`,
        at,
        windowMs: p.windowMs,
      },
    };
  },
  followUp({ event }, results, { params: p, tenant }) {
    if (!results.pairs || !results.tenants || results.tenants.count < p.minTenants || results.pairs.count < p.minUsers)
      return {};
    const ip = untrustedIp(event, tenant)!;
    const from = event.time - p.windowMs + 1;
    return {
      evidence: { op: 'range', scope: 'msp', key: `attempts:${ip}`, from, to: event.time, limit: 50 },
      tenantList: { op: 'range', scope: 'msp', key: `tenants:${ip}`, from, to: event.time, limit: 100 },
    };
  },
  decide({ event }, results, { tenant }, more) {
    if (!results.pairs || !results.tenants || !more.evidence) return [];
    const tenants = results.tenants.count;
    const users = results.pairs.count;
    const ip = untrustedIp(event, tenant)!;
    const evidence = more.evidence.map((entry) => ({ at: entry.at, parts: splitMember(entry.member) }));
    const since = evidence[0]?.at ?? event.time;
    return [
      {
        entity: { type: 'ip', id: ip },
        crossTenant: true,
        at: event.time,
        since,
        summary: `${ip} failed password sign-ins against ${users} users in ${tenants} tenants of ${event.msp_id} within ${formatDuration(event.time - since)}`,
        relatedEventIds: evidence.map((entry) => entry.parts[1]),
        tenantIds: (more.tenantList ?? []).map((entry) => entry.member),
        users: distinct(evidence.map((entry) => entry.parts[0].slice(entry.parts[0].indexOf('/') + 1))),
        ips: [ip],
        countries: event.src_country ? [event.src_country] : [],
        details: { distinct_users: users, distinct_tenants: tenants, attempts: results.attempts?.count ?? 0 },
      },
    ];
  },
});
