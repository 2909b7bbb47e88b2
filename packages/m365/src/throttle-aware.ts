import { ThrottledError } from '@nightjar/core';
import type { MicrosoftApi, RequestBudget } from './budget.ts';

/** Wraps one call: waits for budget first, and reports a 429 back to the budget. */
export function throttleAware<T>(
  budget: RequestBudget,
  api: MicrosoftApi,
  tenantId: string,
  call: () => Promise<T>,
): () => Promise<T> {
  return async () => {
    await budget.acquire(api, tenantId);
    try {
      return await call();
    } catch (error) {
      if (error instanceof ThrottledError) budget.penalize(api, tenantId, error.retryAfterMs);
      throw error;
    }
  };
}
