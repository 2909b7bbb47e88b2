import { defineRule } from '../../../rule.ts';
import {
  HOUR,
  addressesIn,
  internalDomains,
  isInternal,
  isSystemActor,
  destinationParams,
  planDestinationCheck,
  parameters,
} from '../shared.ts';

const params = destinationParams;

const FORWARDING = ['forwardingsmtpaddress', 'forwardingaddress'];

/** EXO-003: Set-Mailbox forwarding every message of a mailbox to an address outside the tenant. */
export const mailboxForwarding = defineRule({
  id: 'EXO-003',
  name: 'Mailbox forwarding to an external address',
  description:
    "Set-Mailbox with ForwardingSmtpAddress or ForwardingAddress pointing outside the tenant's domains (configured, learned from its users, the mailbox's own and *.onmicrosoft.com). Clearing forwarding (empty value) and internal forwarding stay quiet.",
  severity: 'high',
  mitre: ['T1114.003', 'T1020'],
  reads: ['audit-record', 'user-snapshot'],
  params,
  groupWindowMs: HOUR,
  plan: (input) =>
    planDestinationCheck(input, (event) => event.operation === 'Set-Mailbox' && !isSystemActor(event), FORWARDING),
  decide(input, results, { params: p }) {
    if (input.kind !== 'audit-record' || !results.domains) return [];
    const { event } = input;
    const values = parameters(event);
    const mailbox = (values.get('identity') ?? event.object_id ?? event.user_id).toLowerCase();
    const internal = internalDomains(event, p.internalDomains, results.domains, mailbox);
    const allowed = new Set(p.allowedDestinations.map((destination) => destination.toLowerCase()));
    const external = FORWARDING.flatMap((name) => addressesIn(values.get(name))).filter(
      (address) => !isInternal(address, internal) && !allowed.has(address) && !allowed.has(address.split('@')[1]!),
    );
    if (external.length === 0) return [];
    const keepsCopy = values.get('delivertomailboxandforward')?.toLowerCase() === 'true';
    return [
      {
        entity: { type: 'mailbox', id: mailbox },
        at: event.time,
        summary: `${event.user_id} set ${mailbox} to forward all mail to ${external.join(', ')}${keepsCopy ? '' : ' without keeping a copy'}`,
        users: [event.user_id.toLowerCase(), ...(mailbox.includes('@') ? [mailbox] : [])],
        ips: event.src_ip ? [event.src_ip] : [],
        details: { destination: external.join(' '), keeps_copy: keepsCopy, actor: event.user_id },
      },
    ];
  },
});
