import { randomUUID } from 'node:crypto';
import type { AlertView, Notification, Severity } from './channel.ts';

/** Alerts and notifications for the channel tests, as the notifier builds them. */

export const HOSTILE_SUMMARY = 'Sign-ins from 14 IPs <script>alert(1)</script> & "quoted" <!channel>';

export function alertView(overrides: Partial<AlertView> = {}): AlertView {
  return {
    alertId: randomUUID(),
    revision: 1,
    mspId: 'msp-contoso',
    tenantId: '8f2b1c3d-0000-4000-8000-00000000c0de',
    tenantIds: ['8f2b1c3d-0000-4000-8000-00000000c0de'],
    ruleId: 'AUTH-005',
    ruleName: 'Password spray',
    severity: 'high',
    mitreTechniques: ['T1110.003'],
    entityType: 'user',
    entityId: 'alice@contoso.example',
    summary: '23 failed sign-ins from 14 IPs in 10 minutes, then one success',
    firstSeen: Date.UTC(2025, 4, 1, 10, 0, 0),
    lastSeen: Date.UTC(2025, 4, 1, 10, 9, 30),
    eventCount: 24,
    users: ['alice@contoso.example'],
    ips: ['203.0.113.7', '198.51.100.23'],
    countries: ['NL', 'RU'],
    link: 'https://nightjar.example/api/alerts/0001',
    ...overrides,
  };
}

export function notificationOf(alerts: readonly AlertView[], overrides: Partial<Notification> = {}): Notification {
  const [first] = alerts;
  if (!first) throw new RangeError('a notification holds at least one alert');
  const severity = alerts.reduce<Severity>(
    (highest, alert) => (RANK.indexOf(alert.severity) > RANK.indexOf(highest) ? alert.severity : highest),
    'info',
  );
  return {
    id: `ntf-${randomUUID()}`,
    mspId: first.mspId,
    severity,
    title:
      alerts.length === 1
        ? `${first.severity.toUpperCase()} ${first.ruleId} ${first.ruleName}`
        : `${alerts.length} alerts for Contoso MSP`,
    alerts,
    update: false,
    ...overrides,
  };
}

const RANK: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** A large group with long summaries, links and the other severities mixed in. */
export function manyAlerts(count: number): AlertView[] {
  return Array.from({ length: count }, (_, index) =>
    alertView({
      alertId: `alert-${index}`,
      severity: RANK[index % RANK.length]!,
      ruleId: `RULE-${String(index % 40).padStart(3, '0')}`,
      ruleName: 'Impossible travel between two countries within an hour',
      entityId: `user${index}@tenant${index % 7}.contoso.example`,
      tenantId: `8f2b1c3d-0000-4000-8000-${String(index % 7).padStart(12, '0')}`,
      summary: `Sign-in from ${index % 250}.0.113.9 ${'after a long series of failures '.repeat(4)}`,
      link: `https://nightjar.example/api/alerts/${randomUUID()}`,
    }),
  );
}
