import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecord, auditRecords } from '../../mail/fixtures.ts';

function dlp(severity: string, operation = 'DlpRuleMatch', exception?: object) {
  return auditRecord({
    operation,
    content_type: 'DLP.All',
    record_type: 11,
    workload: 'Exchange',
    object_id: '<msg-1@fabrikam.example>',
    fields: {
      PolicyDetails: JSON.stringify([
        {
          PolicyId: 'p-1',
          PolicyName: 'Financial data',
          Rules: [
            { RuleId: 'r-1', RuleName: 'Card numbers', Severity: severity, Actions: ['NotifyUser', 'BlockAccess'] },
          ],
        },
      ]),
      ...(exception ? { ExceptionInfo: JSON.stringify(exception) } : {}),
    },
  });
}

export const scenarios: Scenario[] = [
  {
    name: 'High rule matched',
    fires: true,
    events: auditRecords([dlp('High')]),
    expect: { severity: 'high', summaryIncludes: ['matched DLP Financial data / Card numbers'] },
  },
  {
    name: 'Medium rule overridden by the user: high',
    fires: true,
    events: auditRecords([dlp('Medium', 'DlpRuleMatch', { Reason: 'Override', Justification: 'Business' })]),
    expect: { severity: 'high', details: { overridden: 'true' } },
  },
  { name: 'Low rule keeps low', fires: true, events: auditRecords([dlp('Low')]), expect: { severity: 'low' } },
  { name: 'DlpRuleUndo', fires: false, events: auditRecords([dlp('High', 'DlpRuleUndo')]) },
  { name: 'DlpInfo only', fires: false, events: auditRecords([dlp('High', 'DlpInfo')]) },
  {
    name: 'policy ignored by the tenant',
    fires: false,
    events: auditRecords([dlp('High')]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: { 'tenant-fabrikam': { ruleParams: { 'DLP-001': { ignoredPolicies: ['Financial data'] } } } },
        },
      },
    },
  },
];
