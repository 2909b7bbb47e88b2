import type { StateStore } from '@nightjar/state';

const REMEMBER_MS = 30 * 24 * 3_600_000;

export interface Started {
  /** This attempt's number, counted across processes. */
  readonly attempt: number;
  /** An earlier process started sending this and never recorded how it ended. */
  readonly repeated: boolean;
}

/**
 * Which alert revisions each target already has, so a batch delivered again
 * after a crash or a rebalance sends only what is missing. Each attempt is
 * counted before it is made; a count left higher than the attempts this
 * process made means a predecessor died mid-delivery.
 */
export class DeliveryLedger {
  readonly #state: StateStore;
  readonly #ownAttempts = new Map<string, number>();

  constructor(state: StateStore) {
    this.#state = state;
  }

  async done(target: string, item: string): Promise<boolean> {
    return (await this.#state.get(doneKey(target, item))) !== null;
  }

  async start(target: string, items: readonly string[]): Promise<Started> {
    let attempt = 0;
    let repeated = false;
    for (const item of items) {
      const key = attemptsKey(target, item);
      const count = await this.#state.increment(key, 1, REMEMBER_MS);
      const mine = (this.#ownAttempts.get(key) ?? 0) + 1;
      this.#ownAttempts.set(key, mine);
      if (count > mine) repeated = true;
      attempt = Math.max(attempt, count);
    }
    return { attempt, repeated };
  }

  /** `outcome`: delivered, or parked after the final attempt; either way it is not sent again. */
  async finish(target: string, items: readonly string[], outcome: 'delivered' | 'parked'): Promise<void> {
    for (const item of items) {
      await this.#state.set(doneKey(target, item), outcome, REMEMBER_MS);
      this.#ownAttempts.delete(attemptsKey(target, item));
    }
  }
}

const doneKey = (target: string, item: string): string => `notify/done/${target}/${item}`;
const attemptsKey = (target: string, item: string): string => `notify/attempts/${target}/${item}`;
