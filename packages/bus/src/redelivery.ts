import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Delay before a failed batch is delivered again: doubles per consecutive
 * failure of the same partition so a poisoned batch does not spin the CPU.
 */
export function redeliveryDelayMs(consecutiveFailures: number): number {
  return Math.min(100 * 2 ** Math.max(0, consecutiveFailures - 1), 5_000);
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
