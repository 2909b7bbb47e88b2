import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { DAY, MINUTE, isSuccess, place } from '../shared.ts';

const params = z.object({
  legacyClients: z
    .array(z.string())
    .default([
      'IMAP4',
      'POP3',
      'Authenticated SMTP',
      'Exchange ActiveSync',
      'Exchange Web Services',
      'MAPI Over HTTP',
      'Outlook Anywhere (RPC over HTTP)',
      'Autodiscover',
      'Offline Address Book',
      'Other clients',
      'Exchange Online PowerShell',
    ]),
  /** Agents of ROPC and basic-auth tooling. */
  legacyAgents: z.array(z.string()).default(['BAV2ROPC', 'CBAinPROD', 'CBAinTAR']),
  /** Only the first use per user and client in this period alerts. */
  firstSeenMs: z
    .number()
    .int()
    .positive()
    .default(7 * DAY),
  /** Scanners, printers and line-of-business accounts that legitimately use basic auth. */
  exemptUsers: z.array(z.string()).default([]),
});

/** AUTH-014: the first successful legacy-protocol sign-in of a user and client in 7 days. */
export const legacyAuth = defineRule({
  id: 'AUTH-014',
  name: 'Legacy authentication sign-in',
  description:
    'A successful sign-in over a legacy (basic authentication) client such as IMAP4, POP3 or Authenticated SMTP, or with a ROPC agent, the first for that user and client in 7 days. Exempt accounts are configured per tenant.',
  severity: 'medium',
  mitre: ['T1078.004', 'T1110'],
  reads: ['sign-in'],
  params,
  groupWindowMs: 60 * MINUTE,
  plan({ event }, { params: p }) {
    const client = legacyClient(event.client_app, event.user_agent, event.is_legacy_auth, p);
    if (!client || !isSuccess(event) || p.exemptUsers.includes(event.user_name)) return {};
    return {
      seen: { op: 'windowAdd', key: `user:${event.user_uid}`, member: client, at: event.time, windowMs: p.firstSeenMs },
    };
  },
  decide({ event }, results, { params: p }) {
    if (!results.seen?.added) return [];
    const client = legacyClient(event.client_app, event.user_agent, event.is_legacy_auth, p)!;
    return [
      {
        entity: { type: 'user', id: event.user_name },
        at: event.time,
        summary: `${event.user_name} signed in with legacy client ${client} from ${place(event)}, the first time in ${Math.round(p.firstSeenMs / DAY)} days`,
        users: [event.user_name],
        ips: event.src_ip ? [event.src_ip] : [],
        countries: event.src_country ? [event.src_country] : [],
        details: { client },
      },
    ];
  },
});

function legacyClient(
  clientApp: string | null,
  agent: string | null,
  flagged: boolean,
  p: z.infer<typeof params>,
): string | null {
  if (clientApp && p.legacyClients.includes(clientApp)) return clientApp;
  const tool = agent ? p.legacyAgents.find((candidate) => agent.includes(candidate)) : undefined;
  if (tool) return tool;
  return flagged ? (clientApp ?? 'legacy client') : null;
}
