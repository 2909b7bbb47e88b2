import { SEVERITY_RANK, type MailDocument, type Severity } from '../channels/channel.ts';
import { escapeHtml, isoUtc } from '../channels/format.ts';
import type { DigestData } from './digest-data.ts';

const SEVERITIES = (Object.keys(SEVERITY_RANK) as Severity[]).sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);

interface Section {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly empty: string;
  readonly note?: string;
}

/** The digest as a mail: an HTML body with a plain-text part saying the same. */
/** `day` is the local calendar day the digest covers (YYYY-MM-DD). */
export function renderDigest(data: DigestData, label: string, day: string): MailDocument {
  const total = SEVERITIES.reduce((sum, severity) => sum + (data.alertsBySeverity[severity] ?? 0), 0);
  const subject = `Nightjar daily digest for ${label}, ${day}: ${total} alert${total === 1 ? '' : 's'}, ${
    data.nonCompliantTotal
  } non-compliant device${data.nonCompliantTotal === 1 ? '' : 's'}`;
  const sections = sectionsOf(data);
  const period = `${isoUtc(data.from)} to ${isoUtc(data.to)}`;
  const counts = SEVERITIES.map((severity) => `${severity} ${data.alertsBySeverity[severity] ?? 0}`).join(', ');
  return {
    id: `digest/${data.mspId}/${data.tenantId ?? 'all'}/${day}`,
    subject,
    text: [subject, `Period: ${period}`, `Alerts by severity: ${counts}`, '', ...sections.map(sectionText)].join('\n'),
    html: [
      '<!doctype html><html><body style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;color:#222">',
      `<h2 style="margin:0 0 4px">Daily digest for ${escapeHtml(label)}</h2>`,
      `<p style="margin:0 0 12px;color:#555">${escapeHtml(period)}</p>`,
      `<p><strong>Alerts by severity:</strong> ${escapeHtml(counts)}</p>`,
      ...sections.map(sectionHtml),
      '</body></html>',
    ].join('\n'),
  };
}

function sectionsOf(data: DigestData): Section[] {
  const more = (shown: number, total: number): string | undefined =>
    total > shown ? `${total - shown} more not listed` : undefined;
  const devicesNote = more(data.nonCompliantDevices.length, data.nonCompliantTotal);
  return [
    {
      title: 'Top rules',
      columns: ['Rule', 'Alerts'],
      rows: data.topRules.map((rule) => [`${rule.ruleId} ${rule.ruleName}`, String(rule.alerts)]),
      empty: 'No alerts.',
    },
    {
      title: 'Top users',
      columns: ['User', 'Alerts'],
      rows: data.topUsers.map((user) => [user.name, String(user.alerts)]),
      empty: 'No user was named in an alert.',
    },
    {
      title: 'Top IP addresses',
      columns: ['IP', 'Alerts'],
      rows: data.topIps.map((ip) => [ip.ip, String(ip.alerts)]),
      empty: 'No IP address was named in an alert.',
    },
    {
      title: 'Devices out of compliance',
      columns: ['Tenant', 'Device', 'User', 'OS', 'State', 'Last sync'],
      rows: data.nonCompliantDevices.map((device) => [
        device.tenantId,
        device.deviceName,
        device.userName,
        device.os,
        device.state,
        device.lastSync === null ? 'never' : isoUtc(device.lastSync),
      ]),
      empty: 'Every managed device is compliant.',
      ...(devicesNote ? { note: devicesNote } : {}),
    },
    {
      title: 'Subscriptions suspended or ending within 30 days',
      columns: ['Tenant', 'Subscription', 'Status', 'Ends', 'Auto-renew'],
      rows: data.subscriptionsAtRisk.map((subscription) => [
        subscription.tenantId,
        subscription.name,
        subscription.status,
        subscription.endsAt === null ? '' : isoUtc(subscription.endsAt).slice(0, 10),
        subscription.autoRenew === null ? '' : subscription.autoRenew ? 'yes' : 'no',
      ]),
      empty: 'None.',
    },
  ];
}

function sectionText(section: Section): string {
  const lines = section.rows.length === 0 ? [`  ${section.empty}`] : section.rows.map((row) => `  ${row.join(' | ')}`);
  return [`${section.title}:`, ...lines, ...(section.note ? [`  (${section.note})`] : []), ''].join('\n');
}

function sectionHtml(section: Section): string {
  const title = `<h3 style="margin:16px 0 6px">${escapeHtml(section.title)}</h3>`;
  if (section.rows.length === 0) return `${title}<p>${escapeHtml(section.empty)}</p>`;
  const cell = 'style="border:1px solid #ddd;padding:4px 8px;text-align:left"';
  const head = section.columns.map((column) => `<th ${cell}>${escapeHtml(column)}</th>`).join('');
  const body = section.rows
    .map((row) => `<tr>${row.map((value) => `<td ${cell}>${escapeHtml(value)}</td>`).join('')}</tr>`)
    .join('\n');
  const note = section.note ? `<p style="color:#555">${escapeHtml(section.note)}</p>` : '';
  return `${title}<table style="border-collapse:collapse"><tr>${head}</tr>\n${body}</table>${note}`;
}
