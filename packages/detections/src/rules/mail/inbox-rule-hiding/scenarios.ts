import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecords, cmdlet } from '../fixtures.ts';

const inboxRule = (extra: Record<string, string>, operation = 'New-InboxRule') =>
  cmdlet(operation, { Mailbox: 'ana@fabrikam.example', Name: 'Sort', ...extra });

export const scenarios: Scenario[] = [
  {
    name: 'invoice;payment mail moved to RSS Feeds and marked read',
    fires: true,
    events: auditRecords([
      inboxRule({ SubjectContainsWords: 'invoice;payment', MoveToFolder: 'RSS Feeds', MarkAsRead: 'True' }),
    ]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      summaryIncludes: ['moves to "RSS Feeds" (on words invoice, payment)'],
    },
  },
  {
    name: 'delete every message, rule named "."',
    fires: true,
    events: auditRecords([inboxRule({ Name: '.', DeleteMessage: 'True' }, 'Set-InboxRule')]),
    expect: { severity: 'high', details: { catch_all: 'true' } },
  },
  {
    name: 'move one sender to Conversation History: medium',
    fires: true,
    events: auditRecords([inboxRule({ From: 'cfo@fabrikam.example', MoveToFolder: 'Conversation History' })]),
    expect: { severity: 'medium' },
  },
  {
    name: 'newsletter from a marketing sender to Newsletters',
    fires: false,
    events: auditRecords([
      inboxRule({ From: 'news@vendor.example', SubjectContainsWords: 'newsletter', MoveToFolder: 'Newsletters' }),
    ]),
  },
  {
    name: 'delete mail from one spammer',
    fires: false,
    events: auditRecords([inboxRule({ From: 'spam@junk.example', DeleteMessage: 'True' })]),
  },
  {
    name: 'finance words filed to a named folder',
    fires: false,
    events: auditRecords([inboxRule({ SubjectContainsWords: 'invoice', MoveToFolder: 'Invoices' })]),
  },
];
