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

const OPERATIONS = new Set(['New-TransportRule', 'Set-TransportRule']);
const COPY_PARAMETERS = ['redirectmessageto', 'blindcopyto', 'copyto', 'addtorecipients'];

/** EXO-005: a mail-flow rule that redirects or copies the organisation's mail outside the tenant. */
export const transportRule = defineRule({
  id: 'EXO-005',
  name: 'Mail-flow rule copying or redirecting mail externally',
  description:
    "New-TransportRule or Set-TransportRule with RedirectMessageTo, BlindCopyTo, CopyTo or AddToRecipients holding an address outside the tenant's domains. Internal destinations and allowlisted journaling vendors stay quiet.",
  severity: 'high',
  mitre: ['T1114.003', 'T1020'],
  reads: ['audit-record', 'user-snapshot'],
  params,
  groupWindowMs: HOUR,
  plan: (input) => planDestinationCheck(input, (event) => OPERATIONS.has(event.operation), COPY_PARAMETERS),
  decide(input, results, { params: p }) {
    if (input.kind !== 'audit-record' || !results.domains) return [];
    const { event } = input;
    const values = parameters(event);
    const internal = internalDomains(event, p.internalDomains, results.domains);
    const allowed = new Set(p.allowedDestinations.map((destination) => destination.toLowerCase()));
    const external = COPY_PARAMETERS.flatMap((name) =>
      addressesIn(values.get(name)).map((address) => ({ name, address })),
    ).filter(
      ({ address }) => !isInternal(address, internal) && !allowed.has(address) && !allowed.has(address.split('@')[1]!),
    );
    if (external.length === 0) return [];
    const rule = values.get('name') ?? values.get('identity') ?? event.object_id ?? 'unnamed rule';
    const destinations = [...new Set(external.map(({ address }) => address))];
    return [
      {
        entity: { type: 'tenant', id: event.tenant_id },
        at: event.time,
        summary: `${event.user_id} ${event.operation === 'New-TransportRule' ? 'created' : 'changed'} mail-flow rule "${rule}" sending mail to ${destinations.join(', ')}`,
        users: [event.user_id.toLowerCase()],
        ips: event.src_ip ? [event.src_ip] : [],
        details: {
          rule,
          destination: destinations.join(' '),
          via: [...new Set(external.map(({ name }) => name))].join(' '),
        },
      },
    ];
  },
});
