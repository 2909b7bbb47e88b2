/**
 * The state operations a rule can plan (see rule.ts). The engine runs them
 * against the StateStore port with every key namespaced by MSP, tenant (or
 * `*` for MSP-wide state) and space; identical steps planned by several rules
 * for one event run once.
 */
import type { WindowAddResult, WindowEntry, WindowRecordResult } from '@nightjar/state';

/**
 * Where a state key lives. 'tenant' (default): the engine prefixes the MSP and
 * the tenant, so no tenant can see another's state. 'msp': prefixed by the
 * MSP only, for cross-tenant rules (one IP failing against several customers).
 */
export type KeyScope = 'tenant' | 'msp';

interface KeyedStep {
  /** Rule-local key, e.g. `ip:${ip}`; the engine adds the namespace. */
  readonly key: string;
  readonly scope?: KeyScope;
  /**
   * State shared by several rules (e.g. 'facts' for a user's enabled flag).
   * Defaults to the rule's own id, so rules cannot collide by accident.
   */
  readonly space?: string;
}

/** Adds `member` at event time `at` to a sliding window; result: distinct count in (at - windowMs, at] and whether it was new. */
export interface WindowAddStep extends KeyedStep {
  readonly op: 'windowAdd';
  readonly member: string;
  readonly at: number;
  readonly windowMs: number;
  /** Key expiry (wall clock); defaults to windowMs. */
  readonly ttlMs?: number;
}
/**
 * Adds `member` like windowAdd but counts nothing (result: whether it was
 * new): for windows only ever read back by range, it spares the store the
 * counting.
 */
export interface WindowRecordStep extends KeyedStep {
  readonly op: 'windowRecord';
  readonly member: string;
  readonly at: number;
  readonly windowMs: number;
  /** Key expiry (wall clock); defaults to windowMs. */
  readonly ttlMs?: number;
}
/** Members with event time in [from, to], oldest first. */
export interface RangeStep extends KeyedStep {
  readonly op: 'range';
  readonly from: number;
  readonly to: number;
  readonly limit?: number;
}
/** Stores `value` and returns the value it replaced (null if none), atomically. */
export interface PreviousStep extends KeyedStep {
  readonly op: 'previous';
  readonly value: string;
  readonly ttlMs: number;
}
/** Stores `value` only if the key is empty; returns the value that was already there (null: this call stored it). */
export interface KeepFirstStep extends KeyedStep {
  readonly op: 'keepFirst';
  readonly value: string;
  readonly ttlMs: number;
}
export interface GetStep extends KeyedStep {
  readonly op: 'get';
}
export interface SetStep extends KeyedStep {
  readonly op: 'set';
  readonly value: string;
  readonly ttlMs: number;
}
export interface DeleteStep extends KeyedStep {
  readonly op: 'delete';
}
/** Adds `by` to a counter and returns the new value; expiry set when the counter is created. */
export interface CountStep extends KeyedStep {
  readonly op: 'count';
  readonly by: number;
  readonly ttlMs: number;
}

export type StateStep =
  | WindowAddStep
  | WindowRecordStep
  | RangeStep
  | PreviousStep
  | KeepFirstStep
  | GetStep
  | SetStep
  | DeleteStep
  | CountStep;

/** What the engine hands back for each step kind. */
export type StepResult<S> = S extends WindowAddStep
  ? WindowAddResult
  : S extends WindowRecordStep
    ? WindowRecordResult
    : S extends RangeStep
      ? readonly WindowEntry[]
      : S extends PreviousStep | KeepFirstStep | GetStep
        ? string | null
        : S extends CountStep
          ? number
          : S extends SetStep | DeleteStep
            ? null
            : undefined;

/** Named steps; a step left undefined is skipped and its result is undefined. */
export type StatePlan = { readonly [name: string]: StateStep | undefined };
export type PlanResults<P extends StatePlan> = { readonly [N in keyof P]: StepResult<P[N]> };
