import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecords, cmdlet } from '../fixtures.ts';

const grant = (extra: Record<string, string>, overrides = {}) =>
  cmdlet(
    'Add-MailboxPermission',
    { Identity: 'ana@fabrikam.example', User: 'u07@fabrikam.example', AccessRights: 'FullAccess', ...extra },
    { user_id: 'u07@fabrikam.example', ...overrides },
  );

export const scenarios: Scenario[] = [
  {
    name: 'u07 grants itself FullAccess on ana',
    fires: true,
    events: auditRecords([grant({})]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      summaryIncludes: ['granted u07@fabrikam.example FullAccess on ana@fabrikam.example (self-grant)'],
    },
  },
  {
    name: 'admin grants SendAs with Add-RecipientPermission',
    fires: true,
    events: auditRecords([
      cmdlet(
        'Add-RecipientPermission',
        { Identity: 'ceo@fabrikam.example', Trustee: 'u07@fabrikam.example', AccessRights: 'SendAs' },
        { user_id: 'admin@fabrikam.example' },
      ),
    ]),
    expect: { details: { rights: 'SendAs', self_grant: 'false' } },
  },
  {
    name: 'Exchange service host applies it',
    fires: false,
    events: auditRecords([grant({}, { user_id: 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)' })]),
  },
  { name: 'ReadPermission only', fires: false, events: auditRecords([grant({ AccessRights: 'ReadPermission' })]) },
  { name: 'a Deny entry', fires: false, events: auditRecords([grant({ Deny: 'True' })]) },
  {
    name: 'the backup service account on the allowlist',
    fires: false,
    events: auditRecords([grant({ User: 'svc-backup@fabrikam.example' }, { user_id: 'admin@fabrikam.example' })]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: {
            'tenant-fabrikam': { ruleParams: { 'EXO-006': { allowedGrantees: ['svc-backup@fabrikam.example'] } } },
          },
        },
      },
    },
  },
];
