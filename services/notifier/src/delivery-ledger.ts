import type { StateStore } from '@nightjar/state';
import type { Notification } from './channels/channel.ts';

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

  /**
   * The notification an earlier process began sending with this item and
   * never finished, if any. Alerts are grouped per batch, and a batch read
   * again after a crash may be cut differently: sending that notification
   * again as it was keeps its id, which is what receivers deduplicate on.
   */
  async unfinished(target: string, item: string): Promise<Notification | undefined> {
    const id = await this.#state.get(pendingItemKey(target, item));
    if (id === null) return undefined;
    const stored = await this.#state.get(pendingKey(target, id));
    return stored === null ? undefined : (JSON.parse(stored) as Notification);
  }

  /** Records what is about to be sent, before the first attempt (see `unfinished`). */
  async begin(target: string, notification: Notification, items: readonly string[]): Promise<void> {
    await this.#state.set(pendingKey(target, notification.id), JSON.stringify(notification), REMEMBER_MS);
    for (const item of items) await this.#state.set(pendingItemKey(target, item), notification.id, REMEMBER_MS);
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
  async finish(
    target: string,
    notificationId: string,
    items: readonly string[],
    outcome: 'delivered' | 'parked',
  ): Promise<void> {
    for (const item of items) {
      await this.#state.set(doneKey(target, item), outcome, REMEMBER_MS);
      this.#ownAttempts.delete(attemptsKey(target, item));
    }
    await this.#state.delete(pendingKey(target, notificationId));
  }
}

const doneKey = (target: string, item: string): string => `notify/done/${target}/${item}`;
const attemptsKey = (target: string, item: string): string => `notify/attempts/${target}/${item}`;
const pendingKey = (target: string, notificationId: string): string => `notify/pending/${target}/${notificationId}`;
const pendingItemKey = (target: string, item: string): string => `notify/pending-item/${target}/${item}`;
