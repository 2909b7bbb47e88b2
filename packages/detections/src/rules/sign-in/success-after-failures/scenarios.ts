import type { DirectoryAudit } from '@nightjar/events';
import type { Scenario, ScenarioEvent } from '../../../testing/scenario.ts';
import { signIns } from '../../../testing/scenario.ts';
import { MINUTE, MSP, T0, TENANT, failedSignIn, signIn } from '../../../testing/sign-ins.ts';

const ATTACKER = '203.0.113.9';
const failures = (count: number) =>
  Array.from({ length: count }, (_, index) => failedSignIn({ src_ip: ATTACKER, time: T0 + index * 90_000 }));
const success = (overrides = {}) => signIn({ src_ip: ATTACKER, time: T0 + 18 * MINUTE, ...overrides });

function selfServiceReset(time: number): ScenarioEvent {
  const event: DirectoryAudit = {
    msp_id: MSP,
    tenant_id: TENANT,
    source: 'graph.directoryAudits',
    event_id: `da-reset-${time}`,
    time,
    ingest_time: time,
    activity: 'Reset password (self-service)',
    category: 'UserManagement',
    operation_type: 'Update',
    result: 'success',
    result_reason: null,
    logged_by_service: 'Self-service Password Management',
    correlation_id: null,
    actor_user_uid: 'uid-ana@fabrikam.example',
    actor_user_name: 'ana@fabrikam.example',
    actor_ip: null,
    actor_app_uid: null,
    actor_app_name: null,
    targets: [
      {
        uid: 'uid-ana@fabrikam.example',
        name: null,
        type: 'User',
        user_name: 'ana@fabrikam.example',
        modified_properties: [],
      },
    ],
    raw: '{}',
  };
  return { kind: 'directory-audit', event };
}

export const scenarios: Scenario[] = [
  {
    name: '10 failures from one IP in 15 min, then success from it at +18 min',
    fires: true,
    events: signIns([...failures(10), success()]),
    expect: {
      severity: 'high',
      entityId: 'ana@fabrikam.example',
      eventCount: 11,
      summaryIncludes: ['10 password failures', `signed in successfully from ${ATTACKER}`],
    },
  },
  { name: '3 failures then success (a typo)', fires: false, events: signIns([...failures(3), success()]) },
  {
    name: '10 failures, self-service reset, then success',
    fires: false,
    events: [...signIns(failures(10)), selfServiceReset(T0 + 16 * MINUTE), ...signIns([success()])],
  },
  {
    name: '10 failures, then success from an unrelated IP',
    fires: false,
    events: signIns([...failures(10), success({ src_ip: '198.51.100.10' })]),
  },
  {
    name: '10 failures, success 2 h later',
    fires: false,
    events: signIns([...failures(10), success({ time: T0 + 120 * MINUTE })]),
  },
];
