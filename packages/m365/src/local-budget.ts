import { sleep, systemClock, type Clock } from '@nightjar/core';
import type { MicrosoftApi, RequestBudget } from './budget.ts';

export interface RateLimit {
  readonly requests: number;
  readonly perMs: number;
}

export interface BudgetLimits {
  readonly perTenant: Readonly<Record<MicrosoftApi, RateLimit>>;
  /** Per app across every tenant; absent where Microsoft sets none that binds. */
  readonly perApp: Readonly<Partial<Record<MicrosoftApi, RateLimit>>>;
}

/** Microsoft's published budgets (m365 contract §2.6, §8.4, §10.1). */
export const MICROSOFT_LIMITS: BudgetLimits = {
  perTenant: {
    reporting: { requests: 5, perMs: 10_000 },
    graph: { requests: 1_000, perMs: 10_000 },
    management: { requests: 2_000, perMs: 60_000 },
    partnerCenter: { requests: 500, perMs: 60_000 },
  },
  perApp: { reporting: { requests: 122, perMs: 10_000 } },
};

/** Every budget multiplied by `factor`: for a simulator run with scaled throttling. */
export function scaledLimits(limits: BudgetLimits, factor: number): BudgetLimits {
  const scale = (limit: RateLimit): RateLimit => ({
    requests: Math.max(1, Math.floor(limit.requests * factor)),
    perMs: limit.perMs,
  });
  return {
    perTenant: {
      reporting: scale(limits.perTenant.reporting),
      graph: scale(limits.perTenant.graph),
      management: scale(limits.perTenant.management),
      partnerCenter: scale(limits.perTenant.partnerCenter),
    },
    perApp: Object.fromEntries(Object.entries(limits.perApp).map(([api, limit]) => [api, scale(limit)])),
  };
}

/**
 * Sliding-window budgets in this process: a request goes out only when the
 * tenant's window and the app's window both have room, and a 429 closes the
 * tenant's window for the Retry-After it carried.
 */
export function createLocalBudget(limits: BudgetLimits = MICROSOFT_LIMITS, clock: Clock = systemClock): RequestBudget {
  const sent = new Map<string, number[]>();
  const blockedUntil = new Map<string, number>();

  function waitFor(key: string, limit: RateLimit | undefined, now: number): number {
    const blocked = (blockedUntil.get(key) ?? 0) - now;
    if (!limit) return Math.max(0, blocked);
    const times = sent.get(key) ?? [];
    while (times.length > 0 && times[0]! <= now - limit.perMs) times.shift();
    sent.set(key, times);
    const full = times.length >= limit.requests ? times[times.length - limit.requests]! + limit.perMs - now : 0;
    return Math.max(0, blocked, full);
  }

  return {
    async acquire(api, tenantId, signal) {
      for (;;) {
        const now = clock.now();
        const tenantKey = `${api}/${tenantId}`;
        const appKey = `${api}/*`;
        const delay = Math.max(
          waitFor(tenantKey, limits.perTenant[api], now),
          waitFor(appKey, limits.perApp[api], now),
        );
        if (delay === 0) {
          sent.get(tenantKey)!.push(now);
          if (limits.perApp[api]) sent.get(appKey)!.push(now);
          return;
        }
        if (signal?.aborted) throw signal.reason;
        await sleep(delay, signal);
      }
    },
    penalize(api, tenantId, forMs) {
      const key = `${api}/${tenantId}`;
      blockedUntil.set(key, Math.max(blockedUntil.get(key) ?? 0, clock.now() + forMs));
    },
  };
}
