/**
 * The detection rule interface: a rule is data plus two pure functions.
 *
 *   plan(input, ctx)                   → StatePlan    which state operations this event needs
 *   engine                             → PlanResults  runs them against the StateStore, concurrently
 *   followUp?(input, results, ctx)     → StatePlan    optional second round, e.g. evidence past a threshold
 *   decide(input, results, ctx, more)  → Finding[]    what the event means, given those results
 *
 * Neither function performs I/O or reads the clock, so a rule is tested by
 * feeding events through the engine with in-memory state, and the same rule
 * runs unchanged against Redis shared by many detector processes. The engine
 * owns everything around them: key namespacing (MSP, tenant, rule), parameter
 * resolution (defaults ← MSP overrides ← tenant overrides), suppressions, and
 * grouping findings into one alert per incident (./engine/alerts.ts).
 *
 * Adding a rule family: create src/rules/<family>/<rule-id-slug>/rule.ts with
 * `defineRule({...})`, scenarios.ts beside it, and list it in src/rules/index.ts.
 */
import type { z } from 'zod';
import type { EventKind, EventKinds } from '@nightjar/events';
import type { PlanResults, StatePlan } from './steps.ts';
import type { TenantSettings } from './settings.ts';

export type * from './steps.ts';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** What an alert is about; its id is part of the alert id, so pick the entity peers would group on. */
export type EntityType = 'user' | 'ip' | 'device' | 'subscription' | 'mailbox' | 'app' | 'tenant';

/** One event of one of the kinds a rule reads, discriminated by `kind`. */
export type RuleInput<K extends EventKind> = { [X in K]: { readonly kind: X; readonly event: EventKinds[X] } }[K];

/** Read-only view of the configuration that applies to the event's tenant. */
export interface RuleContext<Params> {
  readonly params: Params;
  readonly tenant: TenantSettings;
}

/** What a rule concludes from one event; the engine groups findings into alerts. */
export interface Finding {
  readonly entity: { readonly type: EntityType; readonly id: string };
  /** Defaults to the rule's severity; an alert keeps the highest severity any of its findings had. */
  readonly severity?: Severity;
  /** Event time the finding belongs to (usually the event's); drives the alert's episode. */
  readonly at: number;
  /** One human sentence with the figures; becomes the alert summary (latest wins). */
  readonly summary: string;
  /** Other events that justify it (e.g. the earlier sign-in of an impossible-travel pair). The current event is always added. */
  readonly relatedEventIds?: readonly string[];
  /** Earliest event time among the evidence, when older than `at`. */
  readonly since?: number;
  readonly users?: readonly string[];
  readonly ips?: readonly string[];
  readonly countries?: readonly string[];
  /** Rule-specific figures; merged into the alert's details (latest wins). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Cross-tenant incidents are grouped per MSP instead of per tenant. */
  readonly crossTenant?: boolean;
  /** Other tenants involved (cross-tenant findings); the event's tenant is always included. */
  readonly tenantIds?: readonly string[];
}

/** The plan of a rule without a second round. */
export type NoPlan = { readonly [name: string]: never };

export interface Rule<
  K extends EventKind = EventKind,
  Params = unknown,
  P extends StatePlan = StatePlan,
  F extends StatePlan = NoPlan,
> {
  /** Catalog id (detections.md), e.g. AUTH-001; unique; part of every alert id. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly severity: Severity;
  /** ATT&CK technique ids, e.g. T1110.003. */
  readonly mitre: readonly string[];
  /** Event kinds the engine routes to this rule. */
  readonly reads: readonly K[];
  /** Tunables with their defaults: `params.parse({})` must succeed. Overrides are merged over the defaults. */
  readonly params: z.ZodType<Params>;
  /** Silence after which the next finding for the same entity opens a new alert (an "episode"). */
  readonly groupWindowMs: number;
  /** Declares the state the event needs. Pure. Return {} when the event is irrelevant. */
  plan(input: RuleInput<K>, ctx: RuleContext<Params>): P;
  /**
   * Optional second round, for state that only matters once the first
   * round's results say so (evidence once a threshold is crossed, a session's
   * origins once a new country appears), so the common case stays one round
   * trip with few commands. Pure. Return {} to skip the round.
   */
  followUp?(input: RuleInput<K>, results: PlanResults<P>, ctx: RuleContext<Params>): F;
  /** Turns the event and its state results into findings. Pure. `more` holds the follow-up results ({} without one). */
  decide(
    input: RuleInput<K>,
    results: PlanResults<P>,
    ctx: RuleContext<Params>,
    more: Partial<PlanResults<F>>,
  ): readonly Finding[];
}

/**
 * Any rule, whatever its kinds, parameters and plan: what registries and the
 * engine hold. (plan and decide are methods, so their parameters compare
 * bivariantly and every concrete rule fits; the engine hands each rule only
 * the kinds it reads and the parameters its own schema parsed.)
 */
export type AnyRule = Rule<EventKind, unknown, StatePlan, StatePlan>;

/** Identity function that infers a rule's types from its literal. */
export function defineRule<K extends EventKind, Params, P extends StatePlan, F extends StatePlan = NoPlan>(
  rule: Rule<K, Params, P, F>,
): Rule<K, Params, P, F> {
  return rule;
}
