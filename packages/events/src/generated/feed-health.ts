// Generated from schemas/avro/feed-health.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * How a collector feed of a tenant is doing: reported after its steps, at most every 30 s unless its status changes
 */
export interface FeedHealth {
  /**
   * The managed-service provider that owns the tenant
   */
  msp_id: string;
  /**
   * Entra ID tenant id (GUID) of the customer
   */
  tenant_id: string;
  /**
   * Who reported it: collector
   */
  source: string;
  /**
   * Stable id of this report: tenant, feed and report time
   */
  event_id: string;
  /**
   * When the collector reported it, epoch milliseconds UTC; the newest report per tenant and feed is the current health
   */
  time: number;
  /**
   * When Nightjar received it, epoch milliseconds UTC
   */
  ingest_time: number;
  /**
   * Collector feed: signins, signins-noninteractive, directory-audits, users, devices, audit:<content type>, partner-subscriptions
   */
  feed: string;
  /**
   * ok; failing (the last step failed and will be retried); unavailable (refused: a missing licence or consent, an expired secret)
   */
  status: string;
  /**
   * When a step of the feed last succeeded, null if none has yet
   *
   * Default: null
   */
  last_success_time: null | number;
  /**
   * When a step of the feed last ended, successful or not
   */
  last_attempt_time: number;
  /**
   * Code of the last failure, e.g. NJ_MS_NO_P1; kept after a later success
   *
   * Default: null
   */
  last_error_code: null | string;
  /**
   * The last failure in plain words, never holding a secret, at most 500 characters
   *
   * Default: null
   */
  last_error: null | string;
  /**
   * Failed steps in a row (0 when the last step succeeded)
   */
  consecutive_failures: number;
  /**
   * Whether the feed has read up to the present once: its backfill is done
   */
  caught_up: boolean;
  /**
   * The time up to which the feed has read everything, null until its backfill first reaches the present
   *
   * Default: null
   */
  read_through_time: null | number;
}
