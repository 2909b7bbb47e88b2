import { NightjarError } from '@nightjar/core';
import type { EventKind } from '@nightjar/events';
import type { AnyRule, Finding, RuleContext, RuleInput, StatePlan } from '../rule.ts';
import type { PlannedRound, RoundRunner } from './execute.ts';

export interface Evaluation {
  readonly rule: AnyRule;
  readonly findings: readonly Finding[];
}

interface Job {
  readonly rule: AnyRule;
  readonly ctx: RuleContext<unknown>;
  results: Record<string, unknown>;
  more: Record<string, unknown>;
  failed: boolean;
}

const NOTHING: Record<string, unknown> = Object.freeze({});

/**
 * Runs every rule listening to an event in lock-step rounds: all plans, one
 * concurrent batch of state steps, all follow-ups, a second batch (only if
 * some rule asked), then all decisions. Most rules plan nothing for most
 * events, so most events cost one round trip and few promises.
 *
 * A rule that throws (or whose steps fail for a reason other than a state
 * outage) is reported through `onRuleError` and skipped; a state outage
 * (retryable NightjarError) propagates, so the event is retried.
 */
export async function evaluateRules(
  rules: readonly AnyRule[],
  input: RuleInput<EventKind>,
  contextOf: (rule: AnyRule) => RuleContext<unknown>,
  runRound: RoundRunner,
  onRuleError: (rule: AnyRule, error: unknown) => void,
): Promise<Evaluation[]> {
  const jobs: Job[] = rules.map((rule) => ({
    rule,
    ctx: contextOf(rule),
    results: NOTHING,
    more: NOTHING,
    failed: false,
  }));
  const fail = (job: Job, error: unknown): void => {
    if (error instanceof NightjarError && error.retryable) throw error;
    job.failed = true;
    onRuleError(job.rule, error);
  };

  await round(
    jobs,
    (job) => job.rule.plan(input, job.ctx),
    (job, results) => (job.results = results),
  );
  await round(
    jobs.filter((job) => job.rule.followUp !== undefined),
    (job) => job.rule.followUp!(input, job.results as never, job.ctx),
    (job, results) => (job.more = results),
  );

  const evaluations: Evaluation[] = [];
  for (const job of jobs) {
    if (job.failed) continue;
    try {
      const findings = job.rule.decide(input, job.results as never, job.ctx, job.more as never);
      if (findings.length > 0) evaluations.push({ rule: job.rule, findings });
    } catch (error) {
      fail(job, error);
    }
  }
  return evaluations;

  async function round(
    selected: readonly Job[],
    planOf: (job: Job) => StatePlan,
    keep: (job: Job, results: Record<string, unknown>) => void,
  ): Promise<void> {
    const planned: Job[] = [];
    const plans: PlannedRound[] = [];
    for (const job of selected) {
      if (job.failed) continue;
      let plan: StatePlan;
      try {
        plan = planOf(job);
      } catch (error) {
        fail(job, error);
        continue;
      }
      if (!hasSteps(plan)) continue;
      planned.push(job);
      plans.push({ plan, defaultSpace: job.rule.id });
    }
    if (plans.length === 0) return;
    const results = await runRound(plans);
    planned.forEach((job, index) => {
      const result = results[index]!;
      if (result instanceof Error) fail(job, result);
      else keep(job, result);
    });
  }
}

function hasSteps(plan: StatePlan): boolean {
  for (const name in plan) if (plan[name] !== undefined) return true;
  return false;
}
