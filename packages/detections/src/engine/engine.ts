import { systemClock } from '@nightjar/core';
import type { Clock } from '@nightjar/core';
import type { Alert, EventKind, SignIn } from '@nightjar/events';
import type { StateStore } from '@nightjar/state';
import type { GeoLocator } from '../geo/locator.ts';
import { ALL_RULES } from '../rules/index.ts';
import type { AnyRule, Finding, RuleContext, RuleInput } from '../rule.ts';
import { matchingSuppression } from '../settings.ts';
import type { DetectionSettings, TenantSettings } from '../settings.ts';
import { createFindingRecorder } from './alerts.ts';
import { evaluateRules } from './evaluate.ts';
import { createRoundRunner } from './execute.ts';
import { createStateBatcher } from './state-batcher.ts';
import { keyNamespace } from './keys.ts';
import { createParamsResolver } from './params.ts';
import { latestRevisions, runBatch, withoutUpdated } from './batch.ts';
import type { EngineInput, EngineResult, RejectedEvent } from './types.ts';
import { checkEvent } from './validate.ts';

export type { EngineInput, EngineResult, RejectedEvent } from './types.ts';

export interface EngineOptions {
  readonly state: StateStore;
  readonly settings: DetectionSettings;
  /** Defaults to ALL_RULES. */
  readonly rules?: readonly AnyRule[];
  readonly clock?: Clock;
  /** Fills country, city and coordinates of sign-ins that arrive without them. */
  readonly geo?: GeoLocator;
  /**
   * Coordinates less precise than this are not filled in (the country still
   * is): a country centroid would turn geolocation error into "travel".
   */
  readonly maxGeoAccuracyKm?: number;
  /** Invalid per-tenant overrides (the rule then runs with its defaults). */
  readonly onConfigIssue?: (issue: string) => void;
  /** Independent entities processed at once by processBatch. */
  readonly concurrency?: number;
}

interface Envelope {
  readonly msp_id: string;
  readonly tenant_id: string;
  readonly event_id: string;
  readonly time: number;
}

export interface DetectionEngine {
  readonly rules: readonly AnyRule[];
  /**
   * Evaluates one event. Bad events come back in `rejects`, never as a throw;
   * a state-store outage does throw (DependencyUnavailableError, retryable),
   * because the event must then be retried, not dead-lettered.
   */
  process(kind: EventKind, event: unknown): Promise<EngineResult>;
  /** Events of one entity (the topic's key) in order; different entities concurrently. */
  processBatch(inputs: readonly EngineInput[]): Promise<EngineResult>;
}

export function createDetectionEngine(options: EngineOptions): DetectionEngine {
  const { state, settings } = options;
  const rules = options.rules ?? ALL_RULES;
  const clock = options.clock ?? systemClock;
  const batcher = createStateBatcher(state);
  const recordFinding = createFindingRecorder(state);
  const resolveParams = createParamsResolver(options.onConfigIssue ?? (() => undefined));
  const byKind = new Map<EventKind, AnyRule[]>();
  for (const rule of rules) for (const kind of rule.reads) byKind.set(kind, [...(byKind.get(kind) ?? []), rule]);

  async function process(kind: EventKind, raw: unknown): Promise<EngineResult> {
    const alerts: Alert[] = [];
    const alreadyRecorded: Alert[] = [];
    const rejects: RejectedEvent[] = [];
    const checked = checkEvent(kind, raw);
    if (!checked.ok)
      return {
        alerts,
        alreadyRecorded,
        rejects: [{ kind, eventId: eventIdOf(raw), ruleId: null, reason: checked.reason }],
      };
    const listeners = byKind.get(kind);
    if (!listeners) return { alerts, alreadyRecorded, rejects };
    // checkEvent guarantees the envelope for every kind, including those whose generated type marks it optional.
    const event = (
      kind === 'sign-in' ? locate(checked.event as SignIn, options.geo, options.maxGeoAccuracyKm ?? 200) : checked.event
    ) as Envelope;
    const tenant = settings.forTenant(event.msp_id, event.tenant_id);
    const namespace = keyNamespace(event.msp_id, event.tenant_id);
    // checkEvent validated `event` as EventKinds[kind]; the pairing is what RuleInput expresses.
    const input = { kind, event } as unknown as RuleInput<EventKind>;
    const runRound = createRoundRunner(batcher, namespace);

    const contextOf = (rule: AnyRule): RuleContext<unknown> => ({ params: resolveParams(rule, tenant), tenant });
    const onRuleError = (rule: AnyRule, error: unknown): void => {
      rejects.push({ kind, eventId: event.event_id, ruleId: rule.id, reason: `${rule.id} failed: ${String(error)}` });
    };
    const evaluations = await evaluateRules(listeners, input, contextOf, runRound, onRuleError);
    for (const { rule, findings } of evaluations) {
      for (const finding of findings) {
        if (suppressed(tenant, rule, finding)) continue;
        const context = {
          rule,
          mspId: event.msp_id,
          tenantId: event.tenant_id,
          eventId: event.event_id,
          now: clock.now(),
        };
        const recorded = await recordFinding(namespace, finding, context);
        (recorded.changed ? alerts : alreadyRecorded).push(recorded.alert);
      }
    }
    return withoutUpdated({ alerts: latestRevisions(alerts), alreadyRecorded, rejects });
  }

  const processBatch = (inputs: readonly EngineInput[]): Promise<EngineResult> =>
    runBatch(inputs, process, options.concurrency ?? 64);

  return { rules, process, processBatch };
}

function suppressed(tenant: TenantSettings, rule: AnyRule, finding: Finding): boolean {
  if (tenant.suppressions.length === 0) return false;
  return !!matchingSuppression(tenant.suppressions, rule.id, finding.at, finding.users ?? [], finding.ips ?? []);
}

function locate(event: SignIn, geo: GeoLocator | undefined, maxAccuracyKm: number): SignIn {
  if (!geo || !event.src_ip || (event.src_lat !== null && event.src_lon !== null)) return event;
  const found = geo.locate(event.src_ip);
  if (!found) return event;
  const precise = found.accuracyKm <= maxAccuracyKm;
  return {
    ...event,
    src_lat: precise ? found.lat : null,
    src_lon: precise ? found.lon : null,
    src_country: event.src_country ?? found.country,
    src_city: event.src_city ?? found.city,
  };
}

function eventIdOf(raw: unknown): string | null {
  const id = (raw as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' ? id : null;
}
