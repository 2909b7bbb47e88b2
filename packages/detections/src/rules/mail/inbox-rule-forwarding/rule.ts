import { defineRule } from '../../../rule.ts';
import {
  HOUR,
  addressesIn,
  internalDomains,
  isInternal,
  destinationParams,
  planDestinationCheck,
  parameters,
} from '../shared.ts';

const params = destinationParams;

const OPERATIONS = new Set(['New-InboxRule', 'Set-InboxRule']);
const FORWARD_PARAMETERS = ['forwardto', 'forwardasattachmentto', 'redirectto'];

/** EXO-001: an inbox rule that forwards or redirects a mailbox's mail outside the tenant. */
export const inboxRuleForwarding = defineRule({
  id: 'EXO-001',
  name: 'Inbox rule forwarding to an external address',
  description:
    "New-InboxRule or Set-InboxRule with ForwardTo, ForwardAsAttachmentTo or RedirectTo holding an address outside the tenant's domains (configured, learned from its users, the mailbox's own, *.onmicrosoft.com). Internal forwards and allowlisted partners stay quiet.",
  severity: 'high',
  mitre: ['T1114.003', 'T1564.008'],
  reads: ['audit-record', 'user-snapshot'],
  params,
  groupWindowMs: HOUR,
  plan: (input) => planDestinationCheck(input, (event) => OPERATIONS.has(event.operation), FORWARD_PARAMETERS),
  decide(input, results, { params: p }) {
    if (input.kind !== 'audit-record' || !results.domains) return [];
    const { event } = input;
    const values = parameters(event);
    const mailbox = (values.get('mailbox') ?? event.user_id).toLowerCase();
    const internal = internalDomains(event, p.internalDomains, results.domains, mailbox);
    const allowed = new Set(p.allowedDestinations.map((destination) => destination.toLowerCase()));
    const external = [...new Set(FORWARD_PARAMETERS.flatMap((name) => addressesIn(values.get(name))))].filter(
      (address) => !isInternal(address, internal) && !allowed.has(address) && !allowed.has(address.split('@')[1]!),
    );
    if (external.length === 0) return [];
    const rule = values.get('name') ?? values.get('identity') ?? 'unnamed rule';
    return [
      {
        entity: { type: 'mailbox', id: mailbox },
        at: event.time,
        summary: `${event.user_id} ${event.operation === 'New-InboxRule' ? 'created' : 'changed'} inbox rule "${rule}" on ${mailbox} forwarding mail to ${external.join(', ')}`,
        users: [...new Set([event.user_id.toLowerCase(), mailbox])],
        ips: event.src_ip ? [event.src_ip] : [],
        details: { rule, destination: external.join(' ') },
      },
    ];
  },
});
