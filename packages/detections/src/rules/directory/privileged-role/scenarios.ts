import type { Scenario } from '../../../testing/scenario.ts';
import { directoryAudit, directoryAudits, objectTarget, property, userTarget } from '../fixtures.ts';

const assign = (role: string, overrides: Parameters<typeof directoryAudit>[0] = {}) =>
  directoryAudit({
    activity: 'Add member to role',
    category: 'RoleManagement',
    targets: [
      userTarget('u03@fabrikam.example', [
        property('Role.DisplayName', '', role),
        property('Role.TemplateId', '', '62e90394-69f5-4237-9190-012177145e10'),
      ]),
    ],
    ...overrides,
  });

export const scenarios: Scenario[] = [
  {
    name: 'admin adds u03 to Global Administrator',
    fires: true,
    events: directoryAudits([assign('Global Administrator')]),
    expect: {
      severity: 'critical',
      entityId: 'u03@fabrikam.example',
      summaryIncludes: ['admin@fabrikam.example added u03@fabrikam.example to the Global Administrator role'],
      details: { role: 'Global Administrator' },
    },
  },
  {
    name: 'Exchange Administrator is high',
    fires: true,
    events: directoryAudits([assign('Exchange Administrator')]),
    expect: { severity: 'high' },
  },
  {
    name: 'role named by a Role target only (Management API shape)',
    fires: true,
    events: directoryAudits([
      assign('', {
        targets: [userTarget('u03@fabrikam.example'), objectTarget('Role', 'Security Administrator', 'role-1')],
      }),
    ]),
    expect: { details: { role: 'Security Administrator' } },
  },
  { name: 'Directory Readers is not privileged', fires: false, events: directoryAudits([assign('Directory Readers')]) },
  {
    name: 'PIM activation of an eligible role',
    fires: false,
    events: directoryAudits([
      assign('Global Administrator', { activity: 'Add member to role completed (PIM activation)' }),
    ]),
  },
  {
    name: 'failed assignment',
    fires: false,
    events: directoryAudits([assign('Global Administrator', { result: 'failure' })]),
  },
  {
    name: 'tenant narrows the privileged list',
    fires: false,
    events: directoryAudits([assign('Helpdesk Administrator')]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: {
            'tenant-fabrikam': { ruleParams: { 'PRIV-001': { privilegedRoles: ['Global Administrator'] } } },
          },
        },
      },
    },
  },
];
