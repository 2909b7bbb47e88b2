/**
 * Microsoft's request budgets, asked before every call so a collector spends
 * them instead of collecting 429s. Implementations: in-process token buckets
 * (./local-budget.ts); a distributed one shares them across collector processes.
 */
export type MicrosoftApi = 'reporting' | 'graph' | 'management' | 'partnerCenter';

export interface RequestBudget {
  /** Resolves when a request to `api` for `tenantId` may go out now. */
  acquire(api: MicrosoftApi, tenantId: string, signal?: AbortSignal): Promise<void>;
  /** The server throttled anyway: hold this tenant's (and the app's) calls back for a while. */
  penalize(api: MicrosoftApi, tenantId: string, forMs: number): void;
}

export const UNLIMITED: RequestBudget = {
  acquire: async () => undefined,
  penalize: () => undefined,
};
