import type { Scenario } from '../../../testing/scenario.ts';
import { T0 } from '../../../testing/sign-ins.ts';
import { auditRecords } from '../../mail/fixtures.ts';
import { fileEvent } from '../fixtures.ts';

const GUEST = 'eve_partner.example#ext#@fabrikam.onmicrosoft.com';

function downloads(count: number, gapMs: number, overrides: Parameters<typeof fileEvent>[2] = {}, sameFile = false) {
  return Array.from({ length: count }, (_, index) =>
    fileEvent('FileDownloaded', sameFile ? 'plan.docx' : `doc-${index}.docx`, {
      time: T0 + index * gapMs,
      ...overrides,
    }),
  );
}

export const scenarios: Scenario[] = [
  {
    name: 'guest downloads 30 distinct files within 3 min',
    fires: true,
    events: auditRecords(downloads(30, 6_000, { user_id: GUEST })),
    expect: { severity: 'high', entityId: GUEST, eventCount: 6, summaryIncludes: ['downloaded 30 distinct files'] },
  },
  {
    name: 'member syncs 25 files in 4 min',
    fires: true,
    events: auditRecords(downloads(25, 10_000).map((event) => ({ ...event, operation: 'FileSyncDownloadedFull' }))),
    expect: { severity: 'medium', eventCount: 1 },
  },
  { name: '24 files', fires: false, events: auditRecords(downloads(24, 6_000)) },
  { name: '30 downloads of the same file', fires: false, events: auditRecords(downloads(30, 6_000, {}, true)) },
  { name: '30 files over an hour', fires: false, events: auditRecords(downloads(30, 2 * 60_000)) },
  {
    name: 'the backup account is exempt',
    fires: false,
    events: auditRecords(downloads(30, 6_000, { user_id: 'svc-backup@fabrikam.example' })),
    settings: {
      msps: {
        'msp-contoso': {
          tenants: {
            'tenant-fabrikam': { ruleParams: { 'SPO-003': { exemptUsers: ['svc-backup@fabrikam.example'] } } },
          },
        },
      },
    },
  },
];
