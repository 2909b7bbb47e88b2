import type { Alert, EventKind, SignIn, UserSnapshot } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import { createDetectionEngine } from '../engine/engine.ts';
import type { AnyRule, Severity } from '../rule.ts';
import { createMemorySettings } from '../settings.ts';
import type { SettingsDocument } from '../settings.ts';
import { T0 } from './sign-ins.ts';

export type ScenarioEvent =
  | { readonly kind: 'sign-in'; readonly event: SignIn }
  | { readonly kind: 'user-snapshot'; readonly event: UserSnapshot }
  | { readonly kind: EventKind; readonly event: unknown };

/** What the alerts must show when a scenario fires; figures, not prose. */
export interface ScenarioExpectation {
  readonly severity?: Severity;
  readonly entityId?: string;
  /** Distinct alert ids the scenario must produce (default 1). */
  readonly alerts?: number;
  readonly eventCount?: number;
  readonly summaryIncludes?: readonly string[];
  readonly details?: Readonly<Record<string, string>>;
}

/**
 * A labelled sequence of events: `fires` scenarios must raise the rule,
 * near misses must not. Each near miss changes one property of a firing
 * sequence, so it proves exactly one suppression (detections.md §4).
 */
export interface Scenario {
  readonly name: string;
  readonly fires: boolean;
  readonly events: readonly ScenarioEvent[];
  readonly settings?: SettingsDocument;
  readonly expect?: ScenarioExpectation;
}

/** Wraps sign-ins as engine inputs. */
export const signIns = (events: readonly SignIn[]): ScenarioEvent[] =>
  events.map((event) => ({ kind: 'sign-in', event }));

/**
 * Runs a scenario through the real engine (only `rule` enabled) and returns
 * the latest revision of each alert the rule raised. Rejects fail loudly:
 * a scenario built from invalid events proves nothing.
 */
export async function runScenario(rule: AnyRule, scenario: Scenario, state: StateStore): Promise<Alert[]> {
  const engine = createDetectionEngine({
    state,
    rules: [rule],
    settings: createMemorySettings(scenario.settings),
    clock: { now: () => T0 },
  });
  const latest = new Map<string, Alert>();
  for (const input of scenario.events) {
    const result = await engine.process(input.kind, input.event);
    if (result.rejects.length > 0)
      throw new Error(
        `scenario "${scenario.name}" rejected: ${result.rejects.map((reject) => reject.reason).join('; ')}`,
      );
    for (const alert of result.alerts) {
      const seen = latest.get(alert.alert_id);
      if (!seen || seen.revision < alert.revision) latest.set(alert.alert_id, alert);
    }
  }
  return [...latest.values()].filter((alert) => alert.rule_id === rule.id);
}

/** Problems with the alerts of a scenario against its label and expectations; empty when it holds. */
export function scenarioProblems(scenario: Scenario, alerts: readonly Alert[]): string[] {
  if (!scenario.fires)
    return alerts.length === 0 ? [] : [`expected silence, got: ${alerts.map((alert) => alert.summary).join(' | ')}`];
  const expected = scenario.expect ?? {};
  const problems: string[] = [];
  if (alerts.length !== (expected.alerts ?? 1))
    problems.push(`expected ${expected.alerts ?? 1} alert(s), got ${alerts.length}`);
  const alert = alerts[0];
  if (!alert) return problems;
  if (expected.severity && alert.severity !== expected.severity)
    problems.push(`severity ${alert.severity}, expected ${expected.severity}`);
  if (expected.entityId && alert.entity_id !== expected.entityId)
    problems.push(`entity ${alert.entity_id}, expected ${expected.entityId}`);
  if (expected.eventCount !== undefined && alert.event_count !== expected.eventCount)
    problems.push(`event_count ${alert.event_count}, expected ${expected.eventCount}`);
  for (const text of expected.summaryIncludes ?? [])
    if (!alert.summary.includes(text)) problems.push(`summary "${alert.summary}" lacks "${text}"`);
  for (const [name, value] of Object.entries(expected.details ?? {})) {
    if (alert.details[name] !== value) problems.push(`details.${name} = ${alert.details[name]}, expected ${value}`);
  }
  return problems;
}
