import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, isSystemActor, parameters, succeeded } from '../shared.ts';

const params = z.object({
  /** Grantees that hold delegated access by design (backup, migration, service accounts). */
  allowedGrantees: z.array(z.string()).default([]),
  /** Rights that hand over the mailbox. */
  riskyRights: z.array(z.string()).default(['FullAccess', 'SendAs', 'ChangePermission', 'ChangeOwner']),
});

const OPERATIONS = new Set(['Add-MailboxPermission', 'Add-RecipientPermission']);

/** EXO-006: FullAccess or SendAs on a mailbox granted by a person (not Exchange itself). */
export const mailboxPermission = defineRule({
  id: 'EXO-006',
  name: 'Mailbox permission granted',
  description:
    'Add-MailboxPermission (FullAccess, ChangePermission, ChangeOwner) or Add-RecipientPermission (SendAs) by a non-system actor; Deny entries, Exchange service identities and allowlisted grantees are left out. A self-grant is called out in the summary.',
  severity: 'high',
  mitre: ['T1098.002'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (!OPERATIONS.has(event.operation) || !succeeded(event) || isSystemActor(event)) return [];
    const values = parameters(event);
    if (values.get('deny')?.toLowerCase() === 'true') return [];
    const granted = (values.get('accessrights') ?? '').split(/[,;\s]+/).filter(Boolean);
    const rights = p.riskyRights.filter((right) =>
      granted.some((value) => value.toLowerCase() === right.toLowerCase()),
    );
    const grantee = (values.get('user') ?? values.get('trustee') ?? '').toLowerCase();
    if (rights.length === 0 || !grantee) return [];
    if (p.allowedGrantees.some((allowed) => allowed.toLowerCase() === grantee)) return [];
    const mailbox = (values.get('identity') ?? event.object_id ?? 'unknown mailbox').toLowerCase();
    const actor = event.user_id.toLowerCase();
    const selfGrant = actor === grantee;
    return [
      {
        entity: { type: 'mailbox', id: mailbox },
        at: event.time,
        summary: `${event.user_id} granted ${grantee} ${rights.join(' and ')} on ${mailbox}${selfGrant ? ' (self-grant)' : ''}`,
        users: [...new Set([actor, grantee, ...(mailbox.includes('@') ? [mailbox] : [])])],
        ips: event.src_ip ? [event.src_ip] : [],
        details: { grantee, rights: rights.join(' '), self_grant: selfGrant },
      },
    ];
  },
});
