/**
 * A role is one job of Nightjar (collector, detector, sink, api, notifier).
 * Any set of roles can share a process; the runtime starts them in the order
 * given and stops them in reverse.
 */
export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface Role {
  readonly name: string;
  /** Resolves once the role is running; throws when it cannot start. */
  start(): Promise<void>;
  /**
   * Drains: stop taking new work, finish in-flight work, make it durable
   * (flush batches, commit offsets), release clients it owns.
   */
  stop(): Promise<void>;
  /** What this role needs to be true before traffic is sent its way. */
  readiness(): readonly ReadinessCheck[];
}
