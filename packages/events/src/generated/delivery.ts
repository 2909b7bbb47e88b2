// Generated from schemas/avro/delivery.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * One attempt of the notifier to deliver one notification (one alert, or several grouped) to one target: what was sent, where, and what the provider answered. Never holds a secret.
 */
export interface Delivery {
  /**
   * The notification id and the target name: the same for every attempt of one delivery
   */
  delivery_id: string;
  /**
   * Starts at 1; counts attempts across restarts of the notifier (0 for a suppressed delivery)
   */
  attempt: number;
  msp_id: string;
  /**
   * Default: []
   */
  tenant_ids: string[];
  /**
   * Every alert the message named
   */
  alert_ids: string[];
  /**
   * Default: []
   */
  rule_ids: string[];
  /**
   * Highest severity among the alerts
   */
  severity: string;
  /**
   * slack, telegram, webhook, graph-mail or smtp
   */
  channel: string;
  /**
   * Name of the configured target (never its address or credentials)
   */
  target: string;
  /**
   * delivered; retrying (this attempt failed, another follows); parked (final attempt failed, kept as a dead letter); suppressed (held back by a route's quiet hours, attempt 0, nothing sent)
   */
  status: string;
  /**
   * HTTP status or SMTP reply code
   *
   * Default: null
   */
  provider_status: null | number;
  /**
   * The provider's answer, shortened
   *
   * Default: ""
   */
  provider_response: string;
  /**
   * Default: null
   */
  error: null | string;
  /**
   * An earlier notifier process had started this delivery and stopped before recording its outcome, so the target may have it twice
   *
   * Default: false
   */
  repeated: boolean;
  time: number;
}
