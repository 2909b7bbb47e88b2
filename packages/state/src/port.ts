/**
 * The detection-state port: the window primitives stateful detections are
 * built from. Redis (distributed mode, shared by every detector process)
 * and an in-memory map (embedded mode) implement it with the same contract
 * (./testing/contract.ts).
 *
 * Window scores are event times (epoch ms), so late or replayed events land
 * in the window they belong to; key expiry is wall-clock time, so idle state
 * disappears on its own.
 */
export interface WindowEntry {
  readonly member: string;
  readonly at: number;
}

export interface WindowAddResult {
  /** Distinct members whose time lies in (at - windowMs, at]. */
  readonly count: number;
  /** False when the member was already present (a replayed event). */
  readonly added: boolean;
}

export interface StateStore {
  readonly kind: 'redis' | 'memory';

  /**
   * Adds `member` at event time `at` to a sliding window, drops members older
   * than `at - windowMs`, refreshes the key's expiry to `ttlMs`, and returns the
   * distinct count, all in one atomic step.
   */
  windowAdd(key: string, member: string, at: number, windowMs: number, ttlMs: number): Promise<WindowAddResult>;

  /** Members with time in [from, to], oldest first, at most `limit`. */
  windowRange(key: string, from: number, to: number, limit?: number): Promise<WindowEntry[]>;

  /** Approximate distinct count (HyperLogLog) for unbounded sets; returns the count after adding. */
  distinctAdd(key: string, members: readonly string[], ttlMs: number): Promise<number>;

  /** Sets the key only when it does not exist; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;

  /** Replaces the value only if it currently equals `expected` (null: absent); true on success. */
  compareAndSet(key: string, expected: string | null, next: string, ttlMs: number): Promise<boolean>;

  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;

  /** Increments a counter, setting its expiry when created; returns the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;

  /** True when the backing server answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
