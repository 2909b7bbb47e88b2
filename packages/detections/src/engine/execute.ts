import type { StateOp } from '@nightjar/state';
import type { StatePlan, StateStep } from '../rule.ts';
import type { KeyNamespace } from './keys.ts';
import type { StateBatcher } from './state-batcher.ts';

/** One rule's plan for this round, with the space its unqualified steps live in (the rule's id). */
export interface PlannedRound {
  readonly plan: StatePlan;
  readonly defaultSpace: string;
}

/** Each plan's results by step name, or the Error of its first failed step. */
export type RoundRunner = (plans: readonly PlannedRound[]) => Promise<Array<Record<string, unknown> | Error>>;

/**
 * Runs one round of every rule's plan for one event as one group of state
 * operations; the batcher sends it with the groups of every other event in
 * flight in one round trip. A step several rules planned identically in a
 * shared space (same operation, key and arguments) runs once: rules that
 * share a window pay for it once per event. Steps in a rule's own space
 * cannot collide with another rule's, so they skip that bookkeeping.
 */
export function createRoundRunner(batcher: StateBatcher, namespace: KeyNamespace): RoundRunner {
  return async (plans) => {
    const ops: StateOp[] = [];
    const shared = new Map<string, number>();
    const positions = plans.map(({ plan, defaultSpace }) => {
      const names: string[] = [];
      const indexes: number[] = [];
      for (const name in plan) {
        const step = plan[name];
        if (step === undefined) continue;
        const key = namespace.key(step.scope, step.space ?? defaultSpace, step.key);
        let index: number | undefined;
        if (step.space !== undefined) {
          const signature = signatureOf(step, key);
          index = shared.get(signature);
          if (index === undefined) shared.set(signature, (index = ops.push(toOperation(step, key)) - 1));
        } else {
          index = ops.push(toOperation(step, key)) - 1;
        }
        names.push(name);
        indexes.push(index);
      }
      return { names, indexes };
    });
    const results = await batcher(ops);
    return positions.map(({ names, indexes }) => {
      const named: Record<string, unknown> = {};
      for (let position = 0; position < names.length; position++) {
        const result = results[indexes[position]!];
        if (result instanceof Error) return result;
        named[names[position]!] = result;
      }
      return named;
    });
  };
}

function toOperation(step: StateStep, key: string): StateOp {
  switch (step.op) {
    case 'windowAdd':
    case 'windowRecord':
      return {
        op: step.op,
        key,
        member: step.member,
        at: step.at,
        windowMs: step.windowMs,
        ttlMs: step.ttlMs ?? step.windowMs,
      };
    case 'range':
      return {
        op: 'windowRange',
        key,
        from: step.from,
        to: step.to,
        ...(step.limit === undefined ? {} : { limit: step.limit }),
      };
    case 'get':
    case 'delete':
      return { op: step.op, key };
    case 'set':
    case 'keepFirst':
      return { op: step.op, key, value: step.value, ttlMs: step.ttlMs };
    case 'previous':
      return { op: 'swap', key, value: step.value, ttlMs: step.ttlMs };
    case 'count':
      return { op: 'increment', key, by: step.by, ttlMs: step.ttlMs };
  }
}

const ARGUMENTS = ['member', 'at', 'windowMs', 'ttlMs', 'from', 'to', 'limit', 'value', 'by'] as const;

/** Identity of a step for deduplication: operation, full key and arguments (cheaper than JSON on the hot path). */
function signatureOf(step: StateStep, key: string): string {
  let signature = `${step.op}\u0000${key}`;
  const fields = step as unknown as Partial<Record<(typeof ARGUMENTS)[number], string | number>>;
  for (const name of ARGUMENTS) signature += `\u0000${String(fields[name] ?? '')}`;
  return signature;
}
