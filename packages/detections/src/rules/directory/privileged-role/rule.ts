import { z } from 'zod';
import type { DirectoryAudit } from '@nightjar/events';
import { defineRule } from '../../../rule.ts';
import { HOUR, actorOf, findProperty, isSuccess, targetName } from '../shared.ts';

const params = z.object({
  /** Roles whose assignment alerts (display names, case-insensitive). */
  privilegedRoles: z
    .array(z.string())
    .default([
      'Global Administrator',
      'Privileged Role Administrator',
      'Privileged Authentication Administrator',
      'Security Administrator',
      'Exchange Administrator',
      'SharePoint Administrator',
      'User Administrator',
      'Authentication Administrator',
      'Application Administrator',
      'Cloud Application Administrator',
      'Conditional Access Administrator',
      'Helpdesk Administrator',
      'Hybrid Identity Administrator',
      'Intune Administrator',
      'Cloud Device Administrator',
      'Billing Administrator',
      'Compliance Administrator',
    ]),
  /** Roles that own the tenant outright: Critical. */
  criticalRoles: z
    .array(z.string())
    .default(['Global Administrator', 'Privileged Role Administrator', 'Privileged Authentication Administrator']),
});

/** Direct and PIM-permanent/time-bound assignments; a PIM activation re-uses an eligibility already granted, so it is left out. */
const ASSIGNMENTS = new Set([
  'Add member to role',
  'Add eligible member to role in PIM completed (permanent)',
  'Add eligible member to role in PIM completed (timebound)',
  'Add member to role in PIM completed (permanent)',
  'Add member to role in PIM completed (timebound)',
]);

/** PRIV-001: a user or service principal given a privileged directory role. */
export const privilegedRole = defineRule({
  id: 'PRIV-001',
  name: 'Member added to a privileged directory role',
  description:
    'A directory audit "Add member to role" (or a PIM permanent or time-bound assignment) for a role on the privileged list, read from Role.DisplayName. Critical for Global, Privileged Role and Privileged Authentication Administrator; PIM activations are not alerted.',
  severity: 'high',
  mitre: ['T1098.003'],
  reads: ['directory-audit'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (!ASSIGNMENTS.has(event.activity) || !isSuccess(event)) return [];
    const role = roleName(event);
    const matches = (list: readonly string[]) =>
      role !== null && list.some((candidate) => candidate.toLowerCase() === role.toLowerCase());
    if (!matches(p.privilegedRoles)) return [];
    const member = targetName(event, 'User') ?? targetName(event, 'ServicePrincipal') ?? targetName(event) ?? 'unknown';
    const actor = actorOf(event);
    return [
      {
        entity: { type: 'user', id: member },
        severity: matches(p.criticalRoles) ? 'critical' : 'high',
        at: event.time,
        summary: `${actor} added ${member} to the ${role} role`,
        users: [member, ...(event.actor_user_name ? [event.actor_user_name] : [])],
        ips: event.actor_ip ? [event.actor_ip] : [],
        details: { role: role!, actor, activity: event.activity },
      },
    ];
  },
});

function roleName(event: DirectoryAudit): string | null {
  const property = findProperty(event, 'Role.DisplayName');
  if (typeof property?.new === 'string' && property.new) return property.new;
  return event.targets.find((target) => target.type === 'Role')?.name ?? null;
}
