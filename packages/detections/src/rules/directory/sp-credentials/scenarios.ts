import type { Scenario } from '../../../testing/scenario.ts';
import { MINUTE, T0 } from '../../../testing/sign-ins.ts';
import { directoryAudit, directoryAudits, objectTarget, property } from '../fixtures.ts';

const addCredential = (overrides: Parameters<typeof directoryAudit>[0] = {}) =>
  directoryAudit({
    activity: 'Add service principal credentials',
    category: 'ApplicationManagement',
    targets: [
      objectTarget('ServicePrincipal', 'Payroll Sync', 'sp-payroll', [
        property('KeyDescription', '[]', '[KeyIdentifier=1, KeyType=Password, KeyUsage=Verify, DisplayName=ci]'),
      ]),
    ],
    ...overrides,
  });

const pipeline = {
  actor_user_uid: null,
  actor_user_name: null,
  actor_app_uid: 'app-ci',
  actor_app_name: 'CI Pipeline',
};

export const scenarios: Scenario[] = [
  {
    name: 'admin adds a secret to Payroll Sync',
    fires: true,
    events: directoryAudits([addCredential()]),
    expect: {
      severity: 'medium',
      entityId: 'sp-payroll',
      summaryIncludes: ['admin@fabrikam.example added credentials to Payroll Sync'],
    },
  },
  {
    name: 'the CI pipeline rotated it 30 min ago, then u02 adds one: high',
    fires: true,
    events: directoryAudits([
      addCredential({ ...pipeline, time: T0 - 30 * MINUTE }),
      addCredential({ actor_user_name: 'u02@fabrikam.example' }),
    ]),
    expect: { severity: 'high', eventCount: 2, details: { new_actor: 'true' } },
  },
  {
    name: 'the pipeline rotates it twice: medium only',
    fires: true,
    events: directoryAudits([addCredential({ ...pipeline, time: T0 - 30 * MINUTE }), addCredential(pipeline)]),
    expect: { severity: 'medium', eventCount: 2 },
  },
  {
    name: 'the known CI pipeline rotates the secret',
    fires: false,
    events: directoryAudits([addCredential(pipeline)]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'APP-004': { knownActors: ['CI Pipeline'] } } } },
        },
      },
    },
  },
  { name: 'failed credential add', fires: false, events: directoryAudits([addCredential({ result: 'failure' })]) },
];
