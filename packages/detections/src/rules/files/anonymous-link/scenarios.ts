import type { Scenario } from '../../../testing/scenario.ts';
import { auditRecords } from '../../mail/fixtures.ts';
import { fileEvent } from '../fixtures.ts';

export const scenarios: Scenario[] = [
  {
    name: 'AnonymousLinkCreated on payroll.xlsx',
    fires: true,
    events: auditRecords([fileEvent('AnonymousLinkCreated', 'payroll.xlsx')]),
    expect: {
      severity: 'medium',
      entityId: 'ana@fabrikam.example',
      summaryIncludes: [
        'created an anonymous link to https://fabrikam.sharepoint.com/sites/finance/Shared Documents/payroll.xlsx',
      ],
    },
  },
  {
    name: 'three links in a row make one alert',
    fires: true,
    events: auditRecords(['a.xlsx', 'b.xlsx', 'c.xlsx'].map((file) => fileEvent('AnonymousLinkCreated', file))),
    expect: { eventCount: 3 },
  },
  {
    name: 'CompanyLinkCreated (organisation-only link)',
    fires: false,
    events: auditRecords([fileEvent('CompanyLinkCreated', 'payroll.xlsx')]),
  },
  {
    name: 'link under the allowlisted public site',
    fires: false,
    events: auditRecords([fileEvent('AnonymousLinkCreated', 'brochure.pdf')]),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: {
            'tenant-fabrikam': {
              ruleParams: { 'SPO-001': { allowedPaths: ['https://fabrikam.sharepoint.com/sites/finance/'] } },
            },
          },
        },
      },
    },
  },
];
