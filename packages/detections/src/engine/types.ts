import type { Alert, EventKind } from '@nightjar/events';

export interface EngineInput<K extends EventKind = EventKind> {
  readonly kind: K;
  readonly event: unknown;
}

/** An event no rule could use, or a rule that failed on it; the caller dead-letters it with the reason. */
export interface RejectedEvent {
  readonly kind: EventKind;
  readonly eventId: string | null;
  readonly ruleId: string | null;
  readonly reason: string;
}

export interface EngineResult {
  /** Alerts created or updated, latest revision per alert id. */
  readonly alerts: Alert[];
  /**
   * Alerts whose findings added nothing because the state already held their
   * evidence (a redelivered event), as they stand now, for ids not in
   * `alerts`. A caller that may not have published them (it died between the
   * state update and the publication) publishes them again.
   */
  readonly alreadyRecorded: Alert[];
  readonly rejects: RejectedEvent[];
}
