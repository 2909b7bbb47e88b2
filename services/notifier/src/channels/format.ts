import { SEVERITY_RANK, type AlertView, type Notification, type Severity } from './channel.ts';

/**
 * Small pieces every channel writes the same way, so an analyst reads the
 * same words for the same alert in Slack, Telegram and e-mail.
 */

export const SEVERITY_MARK: Readonly<Record<Severity, string>> = {
  info: '⚪',
  low: '🔵',
  medium: '🟡',
  high: '🟠',
  critical: '🔴',
};

export function severityLabel(severity: Severity): string {
  return severity.toUpperCase();
}

/** The title, led by the severity unless the title already starts with it ("HIGH AUTH-005 …"). */
export function headline(notification: Notification): string {
  const label = severityLabel(notification.severity);
  const title = singleLine(notification.title);
  return title.toUpperCase().startsWith(label) ? title : `${label} ${title}`;
}

/** Epoch ms as ISO 8601 UTC to the second: "2024-05-01T12:00:00Z". */
export function isoUtc(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return 'unknown';
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function tenantsOf(alert: AlertView): string {
  if (alert.tenantId !== null) return alert.tenantId;
  return alert.tenantIds.length > 0 ? alert.tenantIds.join(', ') : 'several tenants';
}

export function entityOf(alert: AlertView): string {
  return `${alert.entityType} ${alert.entityId}`;
}

export function ruleOf(alert: AlertView): string {
  return `${alert.ruleId} ${alert.ruleName}`;
}

/** "a, b, c +4 more", or "none". */
export function listPreview(values: readonly string[], max = 8): string {
  if (values.length === 0) return 'none';
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} +${values.length - max} more` : shown;
}

/** Newlines and control characters would break one-line formats (subjects, list lines). */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** Cuts to at most `max` characters, ending with an ellipsis when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Highest severity first; within one severity the given order (newest first) stays. */
export function bySeverity(alerts: readonly AlertView[]): AlertView[] {
  return [...alerts].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/** "12 high, 20 medium, 5 low", highest first. */
export function severityCounts(alerts: readonly AlertView[]): string {
  const counts = new Map<Severity, number>();
  for (const alert of alerts) counts.set(alert.severity, (counts.get(alert.severity) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => SEVERITY_RANK[b] - SEVERITY_RANK[a])
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}

/** For HTML text and attribute values alike (mail, Telegram). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Only http(s) links are shown as links; anything else could be a script URL. */
export function safeLink(link: string | null): string | null {
  if (link === null) return null;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** Cuts `text` so that, once escaped, it is at most `max` characters; an escape sequence is never split. */
export function truncateEscaped(text: string, max: number, escape: (text: string) => string): string {
  let cut = truncate(text, max);
  let escaped = escape(cut);
  while (escaped.length > max && cut.length > 0) {
    cut = truncate(text, Math.max(0, cut.length - Math.max(1, escaped.length - max)));
    escaped = escape(cut);
  }
  return escaped.length > max ? '' : escaped;
}
