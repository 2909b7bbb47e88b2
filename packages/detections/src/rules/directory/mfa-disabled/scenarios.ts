import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecord, auditRecords } from '../../mail/fixtures.ts';
import { directoryAudit, directoryAudits, property, userTarget } from '../fixtures.ts';

const enabled = [{ RelyingParty: '*', State: 1, RememberDevicesNotIssuedBefore: '2026-01-01T00:00:00Z' }];
const updateUser = (name: string, oldValue: unknown, newValue: unknown) =>
  directoryAudit({
    activity: 'Update user',
    targets: [userTarget('u01@fabrikam.example', [property(name, JSON.stringify(oldValue), JSON.stringify(newValue))])],
  });

export const scenarios: Scenario[] = [
  {
    name: 'admin runs Disable Strong Authentication on u01',
    fires: true,
    events: directoryAudits([
      directoryAudit({ activity: 'Disable Strong Authentication', targets: [userTarget('u01@fabrikam.example')] }),
    ]),
    expect: {
      severity: 'high',
      entityId: 'u01@fabrikam.example',
      summaryIncludes: ['admin@fabrikam.example disabled strong authentication of u01@fabrikam.example'],
    },
  },
  {
    name: 'Update user: StrongAuthenticationRequirement State 1 → none',
    fires: true,
    events: directoryAudits([updateUser('StrongAuthenticationRequirement', enabled, [])]),
    expect: { details: { change: 'removed the MFA requirement' } },
  },
  {
    name: 'Update user: StrongAuthenticationMethod two methods → none',
    fires: true,
    events: directoryAudits([
      updateUser('StrongAuthenticationMethod', [{ MethodType: 6, Default: true }, { MethodType: 7 }], []),
    ]),
    expect: { details: { change: 'cleared every MFA method' } },
  },
  {
    name: 'unified audit log "Disable Strong Authentication."',
    fires: true,
    events: auditRecords([
      auditRecord({
        operation: 'Disable Strong Authentication.',
        workload: 'AzureActiveDirectory',
        record_type: 8,
        user_id: 'admin@fabrikam.example',
        object_id: 'U01@fabrikam.example',
        result_status: 'Success',
      }),
    ]),
    expect: { entityId: 'u01@fabrikam.example' },
  },
  {
    name: 'Update user: requirement set to enforced (State 1 → 2)',
    fires: false,
    events: directoryAudits([
      updateUser('StrongAuthenticationRequirement', enabled, [{ RelyingParty: '*', State: 2 }]),
    ]),
  },
  {
    name: 'Update user: first method registered',
    fires: false,
    events: directoryAudits([updateUser('StrongAuthenticationMethod', [], [{ MethodType: 6 }])]),
  },
  {
    name: 'failed Disable Strong Authentication',
    fires: false,
    events: directoryAudits([
      directoryAudit({
        activity: 'Disable Strong Authentication',
        result: 'failure',
        targets: [userTarget('u01@fabrikam.example')],
      }),
    ]),
  },
  {
    name: 'break-glass account on the exempt list',
    fires: false,
    events: directoryAudits([
      directoryAudit({ activity: 'Disable Strong Authentication', targets: [userTarget('u01@fabrikam.example')] }),
    ]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'MFA-005': { exemptUsers: ['U01@fabrikam.example'] } } } },
        },
      },
    },
  },
];
