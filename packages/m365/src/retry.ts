import { isRetryable, NightjarError, sleep, ThrottledError } from '@nightjar/core';

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** First wait after a throttling answer that named no Retry-After; it doubles per attempt. */
export const THROTTLE_BACKOFF_BASE_MS = 2_000;
const THROTTLE_BACKOFF_MAX_MS = 60_000;

/**
 * Retries what the error taxonomy marks retryable: the server's Retry-After
 * when it gave one, otherwise exponential backoff with full jitter.
 * (Server-chosen delays are why this is not p-retry or cockatiel: both size
 * the pause from the attempt number alone.)
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 60_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts || options.signal?.aborted) throw error;
      const delayMs = Math.min(max, serverDelay(error, attempt) ?? Math.random() * base * 2 ** (attempt - 1));
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Throttled without a Retry-After: doubling waits, each somewhere in its
 * upper half so that throttled callers spread out yet none comes back at
 * once (an early retry is counted against the budget and extends the throttle).
 */
export function throttleBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(THROTTLE_BACKOFF_MAX_MS, THROTTLE_BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

function serverDelay(error: unknown, attempt: number): number | undefined {
  if (error instanceof ThrottledError)
    return error.details['retryAfterUnknown'] === true ? throttleBackoffMs(attempt) : error.retryAfterMs;
  if (error instanceof NightjarError && typeof error.details['retryAfterMs'] === 'number')
    return error.details['retryAfterMs'];
  return undefined;
}
