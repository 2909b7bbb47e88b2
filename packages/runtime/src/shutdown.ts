import type { Logger } from 'pino';

export interface ShutdownOptions {
  readonly log: Logger;
  readonly gracePeriodMs: number;
  /** Runs once, on the first SIGTERM or SIGINT. */
  readonly onSignal: (signal: NodeJS.Signals) => Promise<void>;
  /** Called with the exit code; `process.exit` outside tests. */
  readonly exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT → drain → exit 0. A second signal, or a drain that outlives
 * the grace period (kept below Kubernetes' terminationGracePeriodSeconds),
 * exits 1 at once so the pod is never killed mid-write without a trace.
 */
export function installShutdown(options: ShutdownOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let draining = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (draining) {
      options.log.warn({ signal }, 'second signal: exiting without waiting for the drain');
      exit(1);
      return;
    }
    draining = true;
    options.log.info({ signal, gracePeriodMs: options.gracePeriodMs }, 'shutting down');
    const deadline = setTimeout(() => {
      options.log.error({ gracePeriodMs: options.gracePeriodMs }, 'drain did not finish within the grace period');
      exit(1);
    }, options.gracePeriodMs);
    deadline.unref();
    options.onSignal(signal).then(
      () => {
        clearTimeout(deadline);
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        options.log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
