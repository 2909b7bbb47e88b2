export interface FailedAuthenticationsOptions {
  /** Failures an address may have in a window before it is turned away until the window ends. */
  readonly limit: number;
  readonly windowMs?: number;
  /**
   * Addresses remembered at most; past it the one remembered longest is
   * forgotten, so addresses sent from many hosts cannot grow memory.
   */
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

/**
 * Failed authentications per client address, in fixed windows. Checked
 * before a key is looked up, so guessing keys costs neither the history store
 * nor memory beyond the bound, and the per-key rate limit (which only knows a
 * caller after authentication) is not the only brake.
 */
export class FailedAuthentications {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxAddresses: number;
  readonly #now: () => number;
  /** In the order of each address's current window, oldest first. */
  readonly #windows = new Map<string, { readonly start: number; failures: number }>();

  constructor(options: FailedAuthenticationsOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxAddresses = options.maxAddresses ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Whole seconds until `address` may try again; undefined when it may now. */
  retryAfterSeconds(address: string): number | undefined {
    const window = this.#current(address);
    if (!window || window.failures < this.#limit) return undefined;
    return Math.max(1, Math.ceil((window.start + this.#windowMs - this.#now()) / 1_000));
  }

  record(address: string): void {
    const window = this.#current(address);
    if (window) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(address);
    this.#windows.set(address, { start: this.#now(), failures: 1 });
    if (this.#windows.size > this.#maxAddresses) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
  }

  #current(address: string): { start: number; failures: number } | undefined {
    const window = this.#windows.get(address);
    return window && this.#now() - window.start < this.#windowMs ? window : undefined;
  }
}
