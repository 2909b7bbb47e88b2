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
  // No broker could name the coordinator of a group or transaction: a broker starting or restarting.
  'KafkaJSGroupCoordinatorNotFound',
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
  return unreachable(error) ? unavailable(brokers, what, error) : error;
}

/**
 * True when the error, or one it wraps, says the cluster is away: KafkaJS
 * wraps a refused connection in a "non-retriable" error once its own
 * retries are spent, yet the next attempt may well succeed.
 */
function unreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (UNAVAILABLE.has(cause.name) || (cause as { retriable?: unknown }).retriable === true) return true;
  }
  return false;
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
