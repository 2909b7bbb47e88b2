import type { StateOp, StateOpResult, StateStore } from '@nightjar/state';
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
   * The last notification to this target that carried each of these alerts
   * (any revision): still unfinished, or 'finished' (delivered or parked).
   * Alerts are grouped per batch, and a batch read again after a crash may be
   * cut differently or hold a later revision: an unfinished notification is
   * sent again as it was, keeping the id receivers deduplicate on, and an
   * alert a finished one carried is not announced as new a second time.
   */
  async lastNotified(target: string, alertIds: readonly string[]): Promise<Map<string, Notification | 'finished'>> {
    const found = new Map<string, Notification | 'finished'>();
    if (alertIds.length === 0) return found;
    const ids = await this.#values(alertIds.map((alertId) => notifiedKey(target, alertId)));
    const notificationIds = [...new Set(ids.filter((id): id is string => id !== null))];
    if (notificationIds.length === 0) return found;
    const stored = await this.#values(notificationIds.map((id) => pendingKey(target, id)));
    const byId = new Map(notificationIds.map((id, index) => [id, stored[index]]));
    alertIds.forEach((alertId, index) => {
      const id = ids[index];
      if (id === null || id === undefined) return;
      const document = byId.get(id);
      found.set(alertId, document ? (JSON.parse(document) as Notification) : 'finished');
    });
    return found;
  }

  /** Records what is about to be sent, before the first attempt (see `lastNotified`). */
  async begin(target: string, notification: Notification): Promise<void> {
    await this.#run([
      { op: 'set', key: pendingKey(target, notification.id), value: JSON.stringify(notification), ttlMs: REMEMBER_MS },
      ...notification.alerts.map((alert) => ({
        op: 'set' as const,
        key: notifiedKey(target, alert.alertId),
        value: notification.id,
        ttlMs: REMEMBER_MS,
      })),
    ]);
  }

  async #values(keys: readonly string[]): Promise<(string | null)[]> {
    const results = await this.#run(keys.map((key) => ({ op: 'get' as const, key })));
    return results.map((result) => (typeof result === 'string' ? result : null));
  }

  /** One round trip; the first failed operation's error is thrown. */
  async #run(ops: readonly StateOp[]): Promise<StateOpResult[]> {
    const results = await this.#state.execute(ops);
    for (const result of results) if (result instanceof Error) throw result;
    return results as StateOpResult[];
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
    // In order: every item is done before the notification stops being unfinished.
    await this.#run([
      ...items.map((item) => ({ op: 'set' as const, key: doneKey(target, item), value: outcome, ttlMs: REMEMBER_MS })),
      { op: 'delete', key: pendingKey(target, notificationId) },
    ]);
    for (const item of items) this.#ownAttempts.delete(attemptsKey(target, item));
  }
}

const doneKey = (target: string, item: string): string => `notify/done/${target}/${item}`;
const attemptsKey = (target: string, item: string): string => `notify/attempts/${target}/${item}`;
const pendingKey = (target: string, notificationId: string): string => `notify/pending/${target}/${notificationId}`;
const notifiedKey = (target: string, alertId: string): string => `notify/last-notification/${target}/${alertId}`;
