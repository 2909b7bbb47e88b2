import type { AlertView, Notification, Severity } from './channel.ts';
import {
  bySeverity,
  entityOf,
  escapeHtml,
  headline,
  isoUtc,
  listPreview,
  safeLink,
  severityCounts,
  severityLabel,
  singleLine,
  tenantsOf,
  truncate,
} from './format.ts';

/**
 * The message as mail carries it: a subject, a plain-text part and an HTML
 * part. One alert is shown with every fact; a group as a compact table an
 * analyst scans by severity, then the details of each alert below it.
 */

/** Carries the notification id in every mail, so receivers and tests can match resends. */
export const NOTIFICATION_HEADER = 'X-Nightjar-Notification';

const SUBJECT_MAX = 200;
/** A group of hundreds stays a readable (and sendable) mail: all in the table, the first ones in full. */
const DETAILED_MAX = 20;

export function renderSubject(notification: Notification): string {
  const prefix = notification.update ? '[Nightjar] Update: ' : '[Nightjar] ';
  return truncate(`${prefix}${headline(notification)}`, SUBJECT_MAX);
}

export function renderText(notification: Notification): string {
  const alerts = bySeverity(notification.alerts);
  const lines = [headline(notification)];
  if (notification.update)
    lines.push('Update: these alerts were announced before and have changed or are still active.');
  if (alerts.length > 1) {
    lines.push(`${alerts.length} alerts: ${severityCounts(alerts)}`, '');
    for (const alert of alerts) lines.push(`- ${compactLine(alert)}`);
  }
  for (const alert of alerts.slice(0, DETAILED_MAX)) lines.push('', ...textDetails(alert));
  if (alerts.length > DETAILED_MAX) lines.push('', detailsNote(alerts.length));
  lines.push('', `Notification ${notification.id}`);
  return `${lines.join('\n')}\n`;
}

function detailsNote(count: number): string {
  return `Details of the first ${DETAILED_MAX} alerts only; all ${count} are listed above.`;
}

function compactLine(alert: AlertView): string {
  const summary = truncate(singleLine(alert.summary), 160);
  return `${severityLabel(alert.severity)} ${alert.ruleId} ${alert.ruleName} | ${entityOf(alert)} | tenant ${tenantsOf(alert)} | ${summary}`;
}

function textDetails(alert: AlertView): string[] {
  return [
    `${severityLabel(alert.severity)} ${alert.ruleId} ${alert.ruleName}`,
    `  ${'Summary:'.padEnd(11)} ${singleLine(alert.summary)}`,
    ...facts(alert).map(([label, value]) => `  ${`${label}:`.padEnd(11)} ${value}`),
  ];
}

/** Label and plain value of each fact, in reading order. */
function facts(alert: AlertView): [string, string][] {
  const rows: [string, string][] = [
    ['Severity', severityLabel(alert.severity)],
    ['Tenant', tenantsOf(alert)],
    ['Rule', `${alert.ruleId} ${alert.ruleName}`],
    ['Entity', entityOf(alert)],
    ['First seen', isoUtc(alert.firstSeen)],
    ['Last seen', isoUtc(alert.lastSeen)],
    ['Events', String(alert.eventCount)],
    ['Users', listPreview(alert.users, 20)],
    ['IPs', listPreview(alert.ips, 20)],
    ['Countries', listPreview(alert.countries, 20)],
  ];
  if (alert.mitreTechniques.length > 0) rows.push(['MITRE', alert.mitreTechniques.join(', ')]);
  rows.push(['Alert', `${alert.alertId} (revision ${alert.revision})`]);
  const link = safeLink(alert.link);
  if (link !== null) rows.push(['Link', link]);
  return rows;
}

const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = {
  info: '#6b7280',
  low: '#2563eb',
  medium: '#ca8a04',
  high: '#ea580c',
  critical: '#dc2626',
};

const TABLE = 'cellpadding="4" cellspacing="0" style="border-collapse:collapse;margin:0 0 16px"';

/** Inline styles only: mail clients drop style sheets. */
export function renderHtml(notification: Notification): string {
  const alerts = bySeverity(notification.alerts);
  const parts = [
    `<h2 style="margin:0 0 8px;color:${SEVERITY_COLOUR[notification.severity]}">${escapeHtml(headline(notification))}</h2>`,
  ];
  if (notification.update)
    parts.push(
      '<p style="margin:0 0 8px"><em>Update: these alerts were announced before and have changed or are still active.</em></p>',
    );
  if (alerts.length > 1) {
    parts.push(`<p style="margin:0 0 8px">${alerts.length} alerts: ${escapeHtml(severityCounts(alerts))}</p>`);
    parts.push(groupTable(alerts));
  }
  for (const alert of alerts.slice(0, DETAILED_MAX)) parts.push(detailsHtml(alert));
  if (alerts.length > DETAILED_MAX) parts.push(`<p><em>${detailsNote(alerts.length)}</em></p>`);
  parts.push(`<p style="color:#6b7280;font-size:12px">Notification ${escapeHtml(notification.id)}</p>`);
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#111827">',
    ...parts,
    '</body></html>',
  ].join('\n');
}

function groupTable(alerts: readonly AlertView[]): string {
  const header = ['Severity', 'Rule', 'Entity', 'Tenant', 'Summary', 'Last seen', '']
    .map((label) => `<th align="left">${label}</th>`)
    .join('');
  const rows = alerts.map((alert, index) => {
    const link = safeLink(alert.link);
    const cells = [
      severityCell(alert.severity),
      `<td><code>${escapeHtml(alert.ruleId)}</code> ${escapeHtml(alert.ruleName)}</td>`,
      `<td>${escapeHtml(entityOf(alert))}</td>`,
      `<td>${escapeHtml(tenantsOf(alert))}</td>`,
      `<td>${escapeHtml(truncate(singleLine(alert.summary), 200))}</td>`,
      `<td nowrap>${isoUtc(alert.lastSeen)}</td>`,
      `<td>${link === null ? '' : `<a href="${escapeHtml(link)}">open</a>`}</td>`,
    ];
    const shade = index % 2 === 1 ? ' style="background:#f3f4f6"' : '';
    return `<tr valign="top"${shade}>${cells.join('')}</tr>`;
  });
  return `<table ${TABLE}>\n<tr>${header}</tr>\n${rows.join('\n')}\n</table>`;
}

function severityCell(severity: Severity): string {
  return `<td style="font-weight:bold;color:${SEVERITY_COLOUR[severity]}">${severityLabel(severity)}</td>`;
}

function detailsHtml(alert: AlertView): string {
  const rows = facts(alert).map(([label, value]) => {
    const shown = label === 'Link' ? `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>` : escapeHtml(value);
    return `<tr valign="top"><th align="left" nowrap>${label}</th><td>${shown}</td></tr>`;
  });
  return [
    `<h3 style="margin:16px 0 4px;color:${SEVERITY_COLOUR[alert.severity]}">${escapeHtml(`${severityLabel(alert.severity)} ${alert.ruleId} ${alert.ruleName}`)}</h3>`,
    `<p style="margin:0 0 8px">${escapeHtml(alert.summary)}</p>`,
    `<table ${TABLE}>${rows.join('')}</table>`,
  ].join('\n');
}
