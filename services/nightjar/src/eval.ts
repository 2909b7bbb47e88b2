import { createDetectionEngine, createMemorySettings, type EngineInput } from '@nightjar/detections';
import type { Alert } from '@nightjar/events';
import { normalizeAuditRecord, normalizeDirectoryAudit, normalizeSignIn, normalizeUser } from '@nightjar/normalize';
import type { GroundTruthLabel, ManagementContentType, World } from '@nightjar/simulator';
import { createMemoryState } from '@nightjar/state/memory';
import { simulatedDetectionSettings } from './simulated.ts';

/** Which rules answer which labelled detection of the simulator. */
export const RULES_FOR_DETECTION: Readonly<Record<string, readonly string[]>> = {
  'impossible-travel': ['AUTH-001'],
  'foreign-country-sign-in': ['AUTH-003', 'AUTH-004'],
  'risky-sign-in': ['AUTH-022'],
  'legacy-auth': ['AUTH-014'],
  'token-replay': ['AUTH-021'],
  'password-spray': ['AUTH-005'],
  'credential-stuffing': ['AUTH-007'],
  'brute-force': ['AUTH-008', 'AUTH-009'],
  'mfa-fatigue': ['MFA-002'],
  'privileged-role-added': ['PRIV-001'],
  'mfa-disabled': ['MFA-005'],
  'app-consent': ['APP-002'],
  'inbox-rule-external-forward': ['EXO-001'],
  'inbox-rule-delete': ['EXO-002'],
  'mailbox-forwarding': ['EXO-003', 'EXO-005'],
  'mailbox-permission': ['EXO-006'],
  'anonymous-link': ['SPO-001'],
  'mass-download': ['SPO-003'],
  'dlp-match': ['DLP-001'],
};

const CONTENT_TYPES: readonly ManagementContentType[] = [
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
];

export interface RuleScore {
  readonly rule: string;
  readonly alerts: number;
  /** Alerts on the events of the attack the rule is meant for. */
  readonly truePositives: number;
  /** Alerts on an attack's events that a different detection was labelled for: right to raise, not counted against it. */
  readonly collateral: number;
  /** Alerts on no attack's events, near misses included. */
  readonly falsePositives: number;
  readonly onNearMisses: number;
}

export interface DetectionScore {
  readonly detection: string;
  readonly labels: number;
  readonly detected: number;
  /** Event time from the attack's first event to the first alert that caught it, per detected label. */
  readonly delaysMs: readonly number[];
}

export interface EvalReport {
  readonly events: number;
  readonly rules: readonly RuleScore[];
  readonly detections: readonly DetectionScore[];
  readonly unscored: readonly string[];
}

/**
 * Runs the detection engine over everything the simulated world recorded,
 * in event-time order, and scores its alerts against the world's labels.
 */
export async function evaluate(world: World, mspId = 'eval'): Promise<EvalReport> {
  const inputs: (EngineInput & { time: number })[] = [];
  for (const tenant of world.tenants()) {
    const context = (source: string, ingestTime: number) => ({ mspId, tenantId: tenant.id, source, ingestTime });
    for (const record of world.users(tenant.id)) {
      const event = normalizeUser(record, context('graph.users', 0));
      inputs.push({ kind: 'user-snapshot', event, time: 0 });
    }
    for (const kind of ['interactive', 'nonInteractive'] as const) {
      for (const record of world.signIns(tenant.id, kind)) {
        const event = normalizeSignIn(
          record,
          context(`graph.signIns.${kind}`, Date.parse(String(record['createdDateTime']))),
        );
        inputs.push({ kind: 'sign-in', event, time: event.time });
      }
    }
    for (const record of world.directoryAudits(tenant.id)) {
      const event = normalizeDirectoryAudit(record, context('graph.directoryAudits', 0));
      inputs.push({ kind: 'directory-audit', event, time: event.time });
    }
    for (const contentType of CONTENT_TYPES) {
      for (const { record } of world.auditRecords(tenant.id, contentType)) {
        const event = normalizeAuditRecord(record, { ...context(`management.${contentType}`, 0), contentType });
        inputs.push({ kind: 'audit-record', event, time: event.time });
      }
    }
  }
  inputs.sort((a, b) => a.time - b.time);
  // What an MSP configures for each customer: where it operates and its trusted (VPN) egress.
  const settings = createMemorySettings(simulatedDetectionSettings(world, mspId));
  const engine = createDetectionEngine({ state: createMemoryState({ clock: { now: () => 0 } }), settings });
  const latest = new Map<string, Alert>();
  const first = new Map<string, Alert>();
  for (let index = 0; index < inputs.length; index += 500) {
    const result = await engine.processBatch(inputs.slice(index, index + 500));
    for (const alert of result.alerts) {
      if (!first.has(alert.alert_id)) first.set(alert.alert_id, alert);
      latest.set(alert.alert_id, alert);
    }
  }
  return scoreAlerts(
    [...latest.values()],
    first,
    world.labels(),
    inputs.length,
    engine.rules.map((rule) => rule.id),
  );
}

/** The labels a detection is expected for: attacks, not near misses or baseline traffic. */
export function attackLabels(labels: readonly GroundTruthLabel[]): GroundTruthLabel[] {
  return labels.filter(
    (label) => !label.nearMiss && label.expectedDetection !== null && !label.scenario.startsWith('baseline/'),
  );
}

/** True when the alert names one of the label's events as evidence. */
export function alertTouches(alert: Alert, label: GroundTruthLabel): boolean {
  return alert.event_ids.some((id) => label.eventIds.includes(id));
}

/** The alerts of the rules meant for the label's detection that name one of its events. */
export function catchingAlerts(alerts: readonly Alert[], label: GroundTruthLabel): Alert[] {
  const rules = RULES_FOR_DETECTION[label.expectedDetection ?? ''] ?? [];
  return alerts.filter((alert) => rules.includes(alert.rule_id) && alertTouches(alert, label));
}

/**
 * Scores alerts against the world's labels: per rule (true and false
 * positives), per labelled detection (recall and the event-time delay from
 * the attack's first event to the first alert on it).
 */
export function scoreAlerts(
  alerts: readonly Alert[],
  first: ReadonlyMap<string, Alert>,
  labels: readonly GroundTruthLabel[],
  events: number,
  ruleIds: readonly string[],
): EvalReport {
  const attacks = attackLabels(labels);
  const nearMisses = labels.filter((label) => label.nearMiss);
  const touches = alertTouches;
  const rules = ruleIds.map((rule): RuleScore => {
    const mine = alerts.filter((alert) => alert.rule_id === rule);
    let truePositives = 0;
    let collateral = 0;
    let onNearMisses = 0;
    for (const alert of mine) {
      const hit = attacks.filter((label) => touches(alert, label));
      if (hit.some((label) => RULES_FOR_DETECTION[label.expectedDetection!]?.includes(rule))) truePositives += 1;
      else if (hit.length > 0) collateral += 1;
      else if (nearMisses.some((label) => touches(alert, label))) onNearMisses += 1;
    }
    return {
      rule,
      alerts: mine.length,
      truePositives,
      collateral,
      falsePositives: mine.length - truePositives - collateral,
      onNearMisses,
    };
  });
  const detections = Object.entries(RULES_FOR_DETECTION).map(([detection]): DetectionScore => {
    const ofDetection = attacks.filter((label) => label.expectedDetection === detection);
    const delaysMs: number[] = [];
    let detected = 0;
    for (const label of ofDetection) {
      const catching = catchingAlerts(alerts, label);
      if (catching.length === 0) continue;
      detected += 1;
      delaysMs.push(Math.min(...catching.map((alert) => (first.get(alert.alert_id) ?? alert).last_seen)) - label.at);
    }
    return { detection, labels: ofDetection.length, detected, delaysMs };
  });
  const unscored = [...new Set(attacks.map((label) => label.expectedDetection!))]
    .filter((detection) => !RULES_FOR_DETECTION[detection])
    .sort();
  return { events, rules, detections, unscored };
}

export function formatReport(report: EvalReport): string {
  const lines = [
    `events evaluated: ${report.events}`,
    '',
    'rule      alerts  true-pos  collateral  false-pos  (on near misses)  precision',
  ];
  for (const rule of report.rules) {
    const judged = rule.truePositives + rule.falsePositives;
    const precision = judged === 0 ? '-' : (rule.truePositives / judged).toFixed(2);
    lines.push(
      `${rule.rule.padEnd(9)} ${String(rule.alerts).padStart(6)} ${String(rule.truePositives).padStart(9)} ${String(rule.collateral).padStart(11)} ${String(rule.falsePositives).padStart(10)} ${String(rule.onNearMisses).padStart(17)}  ${precision.padStart(9)}`,
    );
  }
  lines.push('', 'detection                    attacks  detected  recall  median delay (event time)');
  for (const detection of report.detections) {
    const recall = detection.labels === 0 ? '-' : (detection.detected / detection.labels).toFixed(2);
    const sorted = [...detection.delaysMs].sort((a, b) => a - b);
    const median = sorted.length === 0 ? '-' : `${Math.round(sorted[Math.floor(sorted.length / 2)]! / 1000)} s`;
    lines.push(
      `${detection.detection.padEnd(28)} ${String(detection.labels).padStart(7)} ${String(detection.detected).padStart(9)} ${recall.padStart(7)}  ${median}`,
    );
  }
  const total = report.detections.reduce((sum, detection) => sum + detection.labels, 0);
  const found = report.detections.reduce((sum, detection) => sum + detection.detected, 0);
  const truePositives = report.rules.reduce((sum, rule) => sum + rule.truePositives, 0);
  const falsePositives = report.rules.reduce((sum, rule) => sum + rule.falsePositives, 0);
  lines.push(
    '',
    `overall: recall ${total === 0 ? '-' : (found / total).toFixed(2)}, precision ${truePositives + falsePositives === 0 ? '-' : (truePositives / (truePositives + falsePositives)).toFixed(2)}, near-miss alerts ${report.rules.reduce((sum, rule) => sum + rule.onNearMisses, 0)}`,
  );
  if (report.unscored.length > 0)
    lines.push(
      `labelled detections not scored here (device and subscription rules need polled snapshots over time): ${report.unscored.join(', ')}`,
    );
  return lines.join('\n');
}
