import { isRetryable, NightjarError, sleep, ThrottledError } from '@nightjar/core';

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

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
      const delayMs = Math.min(max, serverDelay(error) ?? Math.random() * base * 2 ** (attempt - 1));
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

function serverDelay(error: unknown): number | undefined {
  if (error instanceof ThrottledError) return error.retryAfterMs;
  if (error instanceof NightjarError && typeof error.details['retryAfterMs'] === 'number')
    return error.details['retryAfterMs'];
  return undefined;
}
