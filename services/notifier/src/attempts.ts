import { errorMessage } from '@nightjar/core';
import { DeliveryError, type Channel, type DeliveryReceipt, type Notification } from './channels/channel.ts';
import { pause } from './target-rate.ts';

export interface RetryPolicy {
  /** Attempts before the delivery is parked. */
  readonly maxAttempts: number;
  /** First backoff; doubles per attempt (with jitter) up to `maxBackoffMs`, never below the provider's own hint. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseBackoffMs: 1_000, maxBackoffMs: 60_000 };

export type AttemptOutcome =
  | { readonly status: 'delivered'; readonly receipt: DeliveryReceipt }
  | {
      readonly status: 'retrying' | 'parked';
      readonly error: string;
      readonly providerStatus?: number;
      readonly response?: string;
    };

export interface AttemptHooks {
  /** Counts the attempt before it is made; returns its number across processes. */
  beforeAttempt(): Promise<number>;
  afterAttempt(attempt: number, outcome: AttemptOutcome): Promise<void>;
  keepAlive(): Promise<void>;
  readonly signal: AbortSignal;
}

/**
 * Sends until the provider accepts, the failure is permanent, or the attempts
 * run out. Waits honour the provider's Retry-After; the consumer is kept
 * alive through them so the batch stays with this member.
 */
export async function deliverWithRetries(
  channel: Channel,
  notification: Notification,
  policy: RetryPolicy,
  hooks: AttemptHooks,
): Promise<AttemptOutcome> {
  for (;;) {
    const attempt = await hooks.beforeAttempt();
    let outcome: AttemptOutcome;
    let waitMs = 0;
    try {
      outcome = { status: 'delivered', receipt: await channel.send(notification) };
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : undefined;
      const final = (failure?.permanent ?? false) || attempt >= policy.maxAttempts;
      outcome = {
        status: final ? 'parked' : 'retrying',
        error: errorMessage(error),
        ...(failure?.status === undefined ? {} : { providerStatus: failure.status }),
        ...(failure?.response === undefined ? {} : { response: failure.response }),
      };
      const backoff = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
      waitMs = Math.max(failure?.retryAfterMs ?? 0, backoff / 2 + Math.random() * (backoff / 2));
    }
    await hooks.afterAttempt(attempt, outcome);
    if (outcome.status !== 'retrying') return outcome;
    await sleepAlive(waitMs, hooks);
  }
}

async function sleepAlive(ms: number, hooks: AttemptHooks): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await pause(Math.min(2_000, until - Date.now()), hooks.signal);
    await hooks.keepAlive();
  }
}
