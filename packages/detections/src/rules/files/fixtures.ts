import type { AuditRecord } from '@nightjar/events';
import { auditRecord } from '../mail/fixtures.ts';

/** A SharePoint/OneDrive file operation by ana on the finance site. */
export function fileEvent(operation: string, file: string, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return auditRecord({
    content_type: 'Audit.SharePoint',
    record_type: 6,
    workload: 'SharePoint',
    operation,
    object_id: `https://fabrikam.sharepoint.com/sites/finance/Shared Documents/${file}`,
    fields: {
      SiteUrl: JSON.stringify('https://fabrikam.sharepoint.com/sites/finance/'),
      SourceFileName: JSON.stringify(file),
      UserAgent: JSON.stringify('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0'),
    },
    ...overrides,
  });
}
