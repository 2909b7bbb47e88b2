/** SharePoint / OneDrive facts shared by the file rules. */
import type { AuditRecord } from '@nightjar/events';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A workload field as text: `fields` values are JSON-encoded. */
function field(event: AuditRecord, name: string): string | null {
  const encoded = event.fields[name];
  if (encoded === undefined) return null;
  try {
    const value: unknown = JSON.parse(encoded);
    return typeof value === 'string' ? value : encoded;
  } catch {
    return encoded;
  }
}

/** The file an operation touched: its URL (ObjectId), else site + relative path + name. */
export function fileOf(event: AuditRecord): string {
  const url =
    event.object_id ??
    [field(event, 'SiteUrl'), field(event, 'SourceRelativeUrl'), field(event, 'SourceFileName')]
      .filter(Boolean)
      .join('/');
  return url || event.event_id;
}

export const isGuest = (user: string): boolean => user.toLowerCase().includes('#ext#');

/** SharePoint's own service identities (retention, system jobs) and app-only callers. */
export function isServiceActor(event: AuditRecord): boolean {
  return /^(sharepoint\\system|app@sharepoint)$/i.test(event.user_id) || event.user_type === 4;
}
