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

/** What a window record reports: only whether the member is new (see the `windowRecord` operation). */
export interface WindowRecordResult {
  /** False when the member was already present (a replayed event, or one seen again). */
  readonly added: boolean;
}

export interface WindowAddResult {
  /** Distinct members whose time lies in (at - windowMs, at]. */
  readonly count: number;
  /** False when the member was already present (a replayed event). */
  readonly added: boolean;
}

/**
 * One operation of a batch (see StateStore.execute). Each has the semantics of
 * the single-call method of the same name; `keepFirst` and `swap` are the
 * atomic read-and-write pairs detections need.
 */
export type StateOp =
  | {
      readonly op: 'windowAdd';
      readonly key: string;
      readonly member: string;
      readonly at: number;
      readonly windowMs: number;
      readonly ttlMs: number;
    }
  /**
   * A windowAdd that does not count: the member is added (or moved to its
   * latest sighting), old members dropped and the expiry refreshed, for
   * windows that are only ever read back by range. Cheaper than windowAdd.
   */
  | {
      readonly op: 'windowRecord';
      readonly key: string;
      readonly member: string;
      readonly at: number;
      readonly windowMs: number;
      readonly ttlMs: number;
    }
  | {
      readonly op: 'windowRange';
      readonly key: string;
      readonly from: number;
      readonly to: number;
      readonly limit?: number;
    }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'set'; readonly key: string; readonly value: string; readonly ttlMs: number }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'increment'; readonly key: string; readonly by: number; readonly ttlMs: number }
  /** Stores the value only if the key is empty; returns what was already there (null: this op stored it). */
  | { readonly op: 'keepFirst'; readonly key: string; readonly value: string; readonly ttlMs: number }
  /** Stores the value; returns the one it replaced (null if none). */
  | { readonly op: 'swap'; readonly key: string; readonly value: string; readonly ttlMs: number };

/** What each operation gives back: windowAdd a WindowAddResult, windowRecord a WindowRecordResult, windowRange entries, get/keepFirst/swap a value or null, increment the new count, set/delete null. */
export type StateOpResult = WindowAddResult | WindowRecordResult | WindowEntry[] | string | number | null;

export interface StateStore {
  readonly kind: 'redis' | 'memory';

  /**
   * Runs `ops` in order in one round trip, each as atomically as its
   * single-call form. An operation that fails (a key of the wrong type) yields
   * an Error in its place and the others still run; an outage rejects the
   * whole call (DependencyUnavailableError), in which case any prefix of the
   * batch may have been applied.
   */
  execute(ops: readonly StateOp[]): Promise<Array<StateOpResult | Error>>;

  /**
   * Adds `member` at event time `at` to a sliding window, drops members older
   * than `at - windowMs`, refreshes the key's expiry to `ttlMs`, and returns the
   * distinct count, all in one atomic step. A member already in the window
   * moves to `at` when that is later (its latest sighting counts) and is not
   * `added`.
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
