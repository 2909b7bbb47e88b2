import { z } from 'zod';
import type { AuditRecord, DirectoryAudit } from '@nightjar/events';
import { defineRule } from '../../../rule.ts';
import type { Finding } from '../../../rule.ts';
import { HOUR, actorOf, decodeValue, findProperty, isSuccess, targetName } from '../shared.ts';

const params = z.object({
  /** Accounts (UPNs) whose MFA is switched off on purpose, e.g. break-glass accounts covered by other controls. */
  exemptUsers: z.array(z.string()).default([]),
});

const DISABLE = 'Disable Strong Authentication';

/** MFA-005: per-user MFA disabled or a user's registered methods wiped. */
export const mfaDisabled = defineRule({
  id: 'MFA-005',
  name: 'MFA disabled for a user',
  description:
    'Per-user MFA switched off: "Disable Strong Authentication" in the directory or unified audit log, or "Update user" where StrongAuthenticationRequirement loses its enabled/enforced state or StrongAuthenticationMethod goes from registered methods to none.',
  severity: 'high',
  mitre: ['T1556.006'],
  reads: ['directory-audit', 'audit-record'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide(input, _results, { params: p }) {
    const finding = input.kind === 'directory-audit' ? fromDirectory(input.event) : fromAuditRecord(input.event);
    if (!finding || p.exemptUsers.some((user) => user.toLowerCase() === finding.entity.id)) return [];
    return [finding];
  },
});

function fromDirectory(event: DirectoryAudit): Finding | null {
  if (!isSuccess(event)) return null;
  let how: string | null = null;
  if (event.activity === DISABLE) how = 'disabled strong authentication';
  else if (event.activity === 'Update user') {
    const requirement = findProperty(event, 'StrongAuthenticationRequirement');
    const methods = findProperty(event, 'StrongAuthenticationMethod');
    if (requirement && enforced(requirement.old) && !enforced(requirement.new)) how = 'removed the MFA requirement';
    else if (methods && count(methods.old) > 0 && count(methods.new) === 0) how = 'cleared every MFA method';
  }
  if (!how) return null;
  const user = targetName(event, 'User') ?? 'unknown user';
  const actor = actorOf(event);
  return {
    entity: { type: 'user', id: user },
    at: event.time,
    summary: `${actor} ${how} of ${user}`,
    users: [user, ...(event.actor_user_name ? [event.actor_user_name] : [])],
    ips: event.actor_ip ? [event.actor_ip] : [],
    details: { actor, change: how },
  };
}

function fromAuditRecord(event: AuditRecord): Finding | null {
  if (event.operation.replace(/\.$/, '') !== DISABLE) return null;
  if (event.result_status !== null && !/^(success|true)$/i.test(event.result_status)) return null;
  const user = targetOfAuditRecord(event) ?? 'unknown user';
  return {
    entity: { type: 'user', id: user },
    at: event.time,
    summary: `${event.user_id} disabled strong authentication of ${user}`,
    users: [user, event.user_id.toLowerCase()],
    ips: event.src_ip ? [event.src_ip] : [],
    details: { actor: event.user_id, change: 'disabled strong authentication' },
  };
}

/** UA-AAD records name the target in ObjectId (a UPN) or in the first Target entry. */
function targetOfAuditRecord(event: AuditRecord): string | null {
  if (event.object_id?.includes('@')) return event.object_id.toLowerCase();
  const targets = decodeValue(event.fields.Target ?? null);
  if (!Array.isArray(targets)) return event.object_id;
  for (const target of targets as unknown[]) {
    const id = (target as { ID?: unknown } | null)?.ID;
    if (typeof id === 'string' && id.includes('@')) return id.toLowerCase();
  }
  return event.object_id;
}

/** StrongAuthenticationRequirement: a list of {RelyingParty, State}; State 1 enabled, 2 enforced. */
function enforced(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.some((entry) => typeof entry === 'object' && Number((entry as { State?: unknown }).State) >= 1)
  );
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
