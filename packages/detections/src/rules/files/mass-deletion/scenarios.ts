import type { Scenario } from '../../../testing/scenario.ts';
import { T0 } from '../../../testing/sign-ins.ts';
import { auditRecords } from '../../mail/fixtures.ts';
import { fileEvent } from '../fixtures.ts';

function deletions(count: number, gapMs: number, overrides: Parameters<typeof fileEvent>[2] = {}) {
  return Array.from({ length: count }, (_, index) =>
    fileEvent('FileDeleted', `file-${index}.xlsx`, { time: T0 + index * gapMs, ...overrides }),
  );
}

export const scenarios: Scenario[] = [
  {
    name: '200 distinct files deleted in 10 min',
    fires: true,
    events: auditRecords(deletions(200, 3_000)),
    expect: { severity: 'high', eventCount: 101, summaryIncludes: ['deleted 200 distinct files within 15 min'] },
  },
  { name: '99 files', fires: false, events: auditRecords(deletions(99, 3_000)) },
  {
    name: 'retention policy deletions by SHAREPOINT\\system',
    fires: false,
    events: auditRecords(deletions(200, 3_000, { user_id: 'SHAREPOINT\\system' })),
  },
  { name: '120 files over 4 hours', fires: false, events: auditRecords(deletions(120, 2 * 60_000)) },
];
