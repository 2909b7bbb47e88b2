import { z } from 'zod';
import { defineRule } from '../../../rule.ts';
import { HOUR, parameters, succeeded } from '../shared.ts';

const params = z.object({
  /** Folders nobody reads, where attackers park replies (compared case-insensitively, by the last path segment). */
  obscureFolders: z
    .array(z.string())
    .default(['RSS Feeds', 'RSS Subscriptions', 'Conversation History', 'Archive', 'Notes', 'Sync Issues']),
  /** Folders that hide mail like a delete does. */
  binFolders: z.array(z.string()).default(['Deleted Items', 'Junk Email']),
  /** Words of finance fraud and of security warnings the attacker wants the victim not to see. */
  keywords: z
    .array(z.string())
    .default([
      'invoice',
      'payment',
      'wire',
      'transfer',
      'bank',
      'remittance',
      'fraud',
      'phish',
      'hack',
      'malware',
      'security',
      'suspicious',
      'compromised',
      'password',
      'helpdesk',
      'alert',
    ]),
});

const OPERATIONS = new Set(['New-InboxRule', 'Set-InboxRule']);
const WORD_CONDITIONS = ['subjectcontainswords', 'bodycontainswords', 'subjectorbodycontainswords'];
/** Any of these narrows a rule; a hiding rule with none of them matches every message. */
const CONDITIONS = [
  ...WORD_CONDITIONS,
  'from',
  'fromaddresscontainswords',
  'sentto',
  'recipientaddresscontainswords',
  'headercontainswords',
  'hasattachment',
  'withimportance',
  'flaggedforaction',
  'messagetypematches',
  'mynameintobox',
  'sentonlytome',
  'withinsizerangeminimum',
  'withinsizerangemaximum',
  'hasclassification',
];

/**
 * EXO-002: an inbox rule that deletes mail or moves it where nobody looks,
 * triggered by finance or security words, by every message, or named with
 * punctuation only. A move to an obscure folder alone is Medium; ordinary
 * filing rules (newsletters to a folder) stay quiet.
 */
export const inboxRuleHiding = defineRule({
  id: 'EXO-002',
  name: 'Inbox rule hiding mail',
  description:
    'New-InboxRule or Set-InboxRule that deletes messages or moves them to Deleted Items, Junk or an obscure folder (RSS Feeds, Conversation History, Archive), high when it keys on finance or security words, matches every message or has a punctuation-only name.',
  severity: 'high',
  mitre: ['T1564.008', 'T1137.005'],
  reads: ['audit-record'],
  params,
  groupWindowMs: HOUR,
  plan: () => ({}),
  decide({ event }, _results, { params: p }) {
    if (!OPERATIONS.has(event.operation) || !succeeded(event)) return [];
    const values = parameters(event);
    const folder = values.get('movetofolder') ?? values.get('copytofolder') ?? '';
    const leaf = (folder.split(/[\\/:]/).pop() ?? '').trim().toLowerCase();
    const inList = (list: readonly string[]) => leaf !== '' && list.some((name) => name.toLowerCase() === leaf);
    const deletes =
      values.get('deletemessage')?.toLowerCase() === 'true' ||
      values.get('softdeletemessage')?.toLowerCase() === 'true';
    const obscure = inList(p.obscureFolders);
    if (!deletes && !obscure && !inList(p.binFolders)) return [];

    const words = WORD_CONDITIONS.map((name) => values.get(name) ?? '')
      .join(' ')
      .toLowerCase();
    const hits = p.keywords.filter((keyword) => words.includes(keyword.toLowerCase()));
    const catchAll = !CONDITIONS.some((name) => values.has(name));
    const name = values.get('name') ?? '';
    const punctuationName = name !== '' && !/[\p{L}\p{N}]/u.test(name);
    const suspicious = hits.length > 0 || catchAll || punctuationName;
    if (!suspicious && !obscure) return [];

    const mailbox = (values.get('mailbox') ?? event.user_id).toLowerCase();
    const action = deletes ? 'deletes' : `moves to "${folder}"`;
    const reasons = [
      ...(hits.length ? [`on words ${hits.join(', ')}`] : []),
      ...(catchAll ? ['every message'] : []),
      ...(punctuationName ? [`named "${name}"`] : []),
    ];
    return [
      {
        entity: { type: 'mailbox', id: mailbox },
        severity: suspicious ? 'high' : 'medium',
        at: event.time,
        summary: `${event.user_id} ${event.operation === 'New-InboxRule' ? 'created' : 'changed'} an inbox rule on ${mailbox} that ${action}${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
        users: [...new Set([event.user_id.toLowerCase(), mailbox])],
        ips: event.src_ip ? [event.src_ip] : [],
        details: {
          rule: name,
          action,
          keywords: hits.join(' '),
          catch_all: catchAll,
          mark_as_read: values.get('markasread')?.toLowerCase() === 'true',
        },
      },
    ];
  },
});
