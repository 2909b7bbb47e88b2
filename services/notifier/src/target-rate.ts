import { randomUUID } from 'node:crypto';
import type { StateStore } from '@nightjar/state';

const MINUTE = 60_000;
/** Longest a delivery is expected to run (retries included); a turn older than this no longer counts. */
const IN_FLIGHT_MS = 15 * MINUTE;

/**
 * A sliding one-minute window of messages per target, shared by every
 * notifier process through the state store. A message is counted from when
 * its turn is taken and again from when its delivery ended, whichever is
 * later: a send slowed by retries must not let the provider see more than
 * the limit in any minute. `waitForTurn` calls `keepAlive` while it waits so
 * the consumer keeps its partitions.
 */
export class TargetRate {
  readonly #state: StateStore;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    state: StateStore,
    now: () => number = Date.now,
    sleep: (ms: number, signal: AbortSignal) => Promise<void> = pause,
  ) {
    this.#state = state;
    this.#now = now;
    this.#sleep = sleep;
  }

  /** Resolves with the turn's id once one more message fits in the last minute. */
  async waitForTurn(
    target: string,
    perMinute: number,
    keepAlive: () => Promise<void>,
    signal: AbortSignal,
  ): Promise<string> {
    const key = keyOf(target);
    for (;;) {
      signal.throwIfAborted();
      const now = this.#now();
      const taken = new Map<string, number>();
      const ended = new Map<string, number>();
      // Read without a cap: entries come oldest first, so a cap would hide the
      // newest turns once steady traffic filled it. Every add trims the window
      // to IN_FLIGHT_MS, and the limit itself keeps that to about two entries
      // per allowed message.
      for (const entry of await this.#state.windowRange(key, now - IN_FLIGHT_MS, now)) {
        (entry.member.startsWith('e:') ? ended : taken).set(entry.member.slice(2), entry.at);
      }
      // A turn counts while its delivery runs, then for a minute after it ended.
      const counting = [...taken.keys()]
        .map((id) => ended.get(id) ?? Number.POSITIVE_INFINITY)
        .filter((end) => end > now - MINUTE);
      if (counting.length < perMinute) {
        const id = randomUUID();
        await this.#state.windowAdd(key, `t:${id}`, now, IN_FLIGHT_MS, 2 * IN_FLIGHT_MS);
        return id;
      }
      const freeAt = Math.min(...counting) + MINUTE;
      await keepAlive();
      await this.#sleep(Math.min(2_000, Math.max(50, Number.isFinite(freeAt) ? freeAt - now : 2_000)), signal);
    }
  }

  /** The turn's delivery ended (delivered or given up): it counts from now. */
  async ended(target: string, turn: string): Promise<void> {
    await this.#state.windowAdd(keyOf(target), `e:${turn}`, this.#now(), IN_FLIGHT_MS, 2 * IN_FLIGHT_MS);
  }
}

const keyOf = (target: string): string => `notify/rate/${target}`;

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
