import type { Alert } from '@nightjar/events';
import type { AlertView, Notification, Severity } from './channels/channel.ts';
import { SEVERITY_RANK } from './channels/channel.ts';
import { createHash } from 'node:crypto';

const SEVERITIES = new Set<string>(Object.keys(SEVERITY_RANK));

export function toAlertView(alert: Alert, linkBase: string | undefined): AlertView {
  return {
    alertId: alert.alert_id,
    revision: alert.revision,
    mspId: alert.msp_id,
    tenantId: alert.tenant_id,
    tenantIds: alert.tenant_ids,
    ruleId: alert.rule_id,
    ruleName: alert.rule_name,
    // An unknown severity from a newer detector is shown as medium rather than dropped.
    severity: SEVERITIES.has(alert.severity) ? (alert.severity as Severity) : 'medium',
    mitreTechniques: alert.mitre_techniques,
    entityType: alert.entity_type,
    entityId: alert.entity_id,
    summary: alert.summary,
    firstSeen: alert.first_seen,
    lastSeen: alert.last_seen,
    eventCount: alert.event_count,
    users: alert.users,
    ips: alert.ips,
    countries: alert.countries,
    link: linkBase ? `${linkBase.replace(/\/$/, '')}/v1/alerts/${encodeURIComponent(alert.alert_id)}` : null,
    createdTime: alert.created_time,
  };
}

/** The item a target receives for one announcement of one alert revision. */
export const itemOf = (alert: AlertView): string => `${alert.alertId}@${alert.revision}`;

/** One message for every alert a target is owed now: grouped when there are several. */
export function notificationFor(
  target: string,
  alerts: readonly { alert: AlertView; update: boolean }[],
  linkBase?: string,
): Notification {
  const sorted = [...alerts].sort(
    (a, b) => SEVERITY_RANK[b.alert.severity] - SEVERITY_RANK[a.alert.severity] || b.alert.lastSeen - a.alert.lastSeen,
  );
  const views = sorted.map((entry) => entry.alert);
  const severity = views[0]!.severity;
  const id = createHash('sha256').update(target).update(views.map(itemOf).sort().join('\n')).digest('hex').slice(0, 32);
  const single = views.length === 1 ? views[0]! : undefined;
  const title = single
    ? `${single.severity.toUpperCase()} ${single.ruleId} ${single.ruleName}`
    : `${views.length} alerts for ${views[0]!.mspId}: ${countBySeverity(views)}`;
  const listLink = views.length > 1 && linkBase ? alertListLink(linkBase, views) : undefined;
  return {
    id,
    mspId: views[0]!.mspId,
    severity,
    title,
    alerts: views,
    update: sorted.every((entry) => entry.update),
    ...(listLink ? { listLink } : {}),
  };
}

/**
 * The API's alert list from the first to the last of these alerts' creation
 * times, narrowed by tenant, rule and severity when they all share one. The
 * list takes no set of ids, so it may show a few other alerts, never fewer.
 */
export function alertListLink(linkBase: string, alerts: readonly AlertView[]): string | undefined {
  const created = alerts.map((alert) => alert.createdTime);
  if (!created.every((time): time is number => time !== undefined && Number.isFinite(time))) return undefined;
  const query = new URLSearchParams({
    from: new Date(Math.min(...created)).toISOString(),
    // The list's upper bound is exclusive.
    to: new Date(Math.max(...created) + 1).toISOString(),
  });
  const [first] = alerts;
  const tenant = first?.tenantIds.find((candidate) => alerts.every((alert) => alert.tenantIds.includes(candidate)));
  if (tenant) query.set('tenant', tenant);
  if (first && alerts.every((alert) => alert.ruleId === first.ruleId)) query.set('rule', first.ruleId);
  if (first && alerts.every((alert) => alert.severity === first.severity)) query.set('severity', first.severity);
  return `${linkBase.replace(/\/$/, '')}/v1/alerts?${query.toString()}`;
}

function countBySeverity(alerts: readonly AlertView[]): string {
  const counts = new Map<Severity, number>();
  for (const alert of alerts) counts.set(alert.severity, (counts.get(alert.severity) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => SEVERITY_RANK[b] - SEVERITY_RANK[a])
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}
