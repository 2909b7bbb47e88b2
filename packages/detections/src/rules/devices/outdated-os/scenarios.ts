import type { Scenario } from '../../../testing/scenario.ts';
import { deviceChange, deviceChanges } from '../fixtures.ts';

const seen = (os: string, version: string, overrides: Parameters<typeof deviceChange>[0] = {}) =>
  deviceChange({
    change: 'enrolled',
    previous_value: null,
    current_value: 'compliant',
    compliance_state: 'compliant',
    os,
    os_version: version,
    ...overrides,
  });

export const scenarios: Scenario[] = [
  {
    name: 'D3 on Windows 10 22H2, marked compliant',
    fires: true,
    events: deviceChanges([seen('Windows', '10.0.19045.5011')]),
    expect: { severity: 'medium', summaryIncludes: ['runs Windows 10.0.19045.5011, below the minimum 10.0.22000'] },
  },
  {
    name: 'iPhone moved to iOS 16.7, noncompliant already',
    fires: true,
    events: deviceChanges([
      seen('iOS', '16.7.10', { change: 'os_version', previous_value: '16.7.8', compliance_state: 'noncompliant' }),
    ]),
    expect: { severity: 'low' },
  },
  { name: 'D3 on Windows 11 24H2', fires: false, events: deviceChanges([seen('Windows', '10.0.26100.2314')]) },
  {
    name: 'the tenant allows Windows 10 until its ESU ends',
    fires: false,
    events: deviceChanges([seen('Windows', '10.0.19045.5011')]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'DEV-003': { minimumVersions: { Windows: '10.0.19045' } } } } },
        },
      },
    },
  },
  {
    name: 'a compliance change of an old device is not an OS event',
    fires: false,
    events: deviceChanges([seen('Windows', '10.0.19045.5011', { change: 'compliance' })]),
  },
];
