import type { StateOp, StateStore } from '@nightjar/state';

/** Redis round-trip commands each port call costs in the Redis adapter (distinctAdd is a MULTI of three). */
const COMMANDS: Partial<Record<keyof StateStore, number>> = { distinctAdd: 3 };

export interface CountingState {
  readonly state: StateStore;
  /** Operations by name: single calls and the operations inside batches alike. */
  readonly counts: Map<string, number>;
  /** Every operation counted. */
  total(): number;
  /** Calls that reached the store: a batch of any size is one. */
  calls(): number;
}

/** Wraps a store and counts what the detector asks of it: operations by name, and calls (round trips). */
export function countingState(inner: StateStore): CountingState {
  const counts = new Map<string, number>();
  let calls = 0;
  const count = (name: string, by: number): void => {
    counts.set(name, (counts.get(name) ?? 0) + by);
  };
  const state = new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close' || property === 'ping') return value;
      const name = String(property);
      return (...args: unknown[]): unknown => {
        calls += name === 'execute' ? 1 : (COMMANDS[name as keyof StateStore] ?? 1);
        if (name === 'execute') for (const op of args[0] as readonly StateOp[]) count(op.op, 1);
        else count(name, COMMANDS[name as keyof StateStore] ?? 1);
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    state,
    counts,
    total: () => [...counts.values()].reduce((sum, counted) => sum + counted, 0),
    calls: () => calls,
  };
}
