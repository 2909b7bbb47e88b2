import { DependencyUnavailableError, errorMessage } from '@nightjar/core';

/** KafkaJS errors that mean "the cluster is not reachable or not answering", as opposed to a bad request. */
const UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
]);

export function unavailable(brokers: readonly string[], what: string, cause: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError(
    'kafka',
    `Kafka at ${brokers.join(',')} is unavailable (${what}): ${errorMessage(cause)}`,
    {
      cause,
    },
  );
}

/** Rewrites connection-level KafkaJS failures as DependencyUnavailableError; other errors pass through. */
export function asBusError(brokers: readonly string[], what: string, error: unknown): unknown {
  if (error instanceof DependencyUnavailableError) return error;
  const name = error instanceof Error ? error.name : '';
  const retriable = error instanceof Error && (error as { retriable?: unknown }).retriable === true;
  return UNAVAILABLE.has(name) || retriable ? unavailable(brokers, what, error) : error;
}

/**
 * Runs `work` but gives up after `timeoutMs`, so an unreachable cluster fails
 * the caller quickly instead of leaving it waiting on KafkaJS's own retries.
 * `abandon` stops the work left running in the background.
 */
export async function withinDeadline<T>(
  brokers: readonly string[],
  what: string,
  timeoutMs: number,
  work: () => Promise<T>,
  abandon: () => Promise<void>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(unavailable(brokers, what, new Error(`no answer within ${timeoutMs} ms`)));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (error) {
    await abandon().catch(() => undefined);
    throw asBusError(brokers, what, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Connects once; a failed attempt is forgotten so the next call tries again. */
export function lazily(connect: () => Promise<void>): () => Promise<void> {
  let connected: Promise<void> | undefined;
  return () => {
    connected ??= connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    return connected;
  };
}
