/**
 * Microsoft's request budgets, enforced on every call whatever faults are on:
 * the reporting APIs allow 5 requests per 10 s per app per tenant and 122 per
 * 10 s per app across tenants. Counted on the wall clock, as Microsoft does;
 * `scale` multiplies every budget (0 turns throttling off for benchmarks).
 */
import type { Endpoint } from './faults.ts';

export interface Budget {
  readonly requests: number;
  readonly perMs: number;
}

export const REPORTING_PER_TENANT: Budget = { requests: 5, perMs: 10_000 };
export const REPORTING_PER_APP: Budget = { requests: 122, perMs: 10_000 };

export class Throttle {
  /** Admission times per key, oldest first; `head` skips those that left the window. */
  readonly #windows = new Map<string, { times: number[]; head: number }>();
  readonly #scale: number;

  constructor(scale = 1) {
    this.#scale = scale;
  }

  /** Milliseconds until the request may be served; 0 when it is admitted (and counted). */
  admit(keys: readonly { key: string; budget: Budget }[], now = Date.now()): number {
    if (this.#scale === 0) return 0;
    let wait = 0;
    const windows = keys.map(({ key, budget }) => {
      let window = this.#windows.get(key);
      if (!window) this.#windows.set(key, (window = { times: [], head: 0 }));
      // Dropping expired entries from the front keeps a 130,000-request window cheap to check.
      while (window.head < window.times.length && window.times[window.head]! <= now - budget.perMs) window.head += 1;
      if (window.head > 1_024 && window.head * 2 > window.times.length) {
        window.times = window.times.slice(window.head);
        window.head = 0;
      }
      const limit = Math.max(1, Math.floor(budget.requests * this.#scale));
      if (window.times.length - window.head >= limit)
        wait = Math.max(wait, window.times[window.times.length - limit]! + budget.perMs - now);
      return window;
    });
    if (wait > 0) return wait;
    for (const window of windows) window.times.push(now);
    return 0;
  }
}

/** Management Activity API: a baseline of 2,000 requests per minute per tenant (m365 contract §8.4). */
export const MANAGEMENT_PER_TENANT: Budget = { requests: 2_000, perMs: 60_000 };
/** Partner Center customer resources: 500 requests per minute per partner tenant (§10.1). */
export const PARTNER_PER_TENANT: Budget = { requests: 500, perMs: 60_000 };

/** Every Graph call: 130,000 requests per 10 s per app across all tenants (§11.3). */
export const GRAPH_PER_APP: Budget = { requests: 130_000, perMs: 10_000 };
/** Intune devices: 2,000 requests per 20 s per app per tenant, 4,000 per tenant for all apps (§6.1). */
export const INTUNE_PER_APP_TENANT: Budget = { requests: 2_000, perMs: 20_000 };
export const INTUNE_PER_TENANT: Budget = { requests: 4_000, perMs: 20_000 };

/** The budgets a Graph request spends, by endpoint; the first one exhausted answers 429. */
export function graphBudgets(endpoint: Endpoint) {
  return (tenantId: string, appId: string): { key: string; budget: Budget }[] => {
    const budgets = [{ key: `graph/${appId}`, budget: GRAPH_PER_APP }];
    if (endpoint === 'signIns' || endpoint === 'directoryAudits') {
      budgets.push(
        { key: `reporting/${appId}/${tenantId}`, budget: REPORTING_PER_TENANT },
        { key: `reporting/${appId}`, budget: REPORTING_PER_APP },
      );
    } else if (endpoint === 'managedDevices') {
      budgets.push(
        { key: `intune/${appId}/${tenantId}`, budget: INTUNE_PER_APP_TENANT },
        { key: `intune/${tenantId}`, budget: INTUNE_PER_TENANT },
      );
    }
    return budgets;
  };
}
