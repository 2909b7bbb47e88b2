// Generated from schemas/avro/subscription-change.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * A difference between two subscription snapshots
 */
export interface SubscriptionChange {
  /**
   * The managed-service provider that owns the tenant
   */
  msp_id: string;
  /**
   * Entra ID tenant id (GUID) of the customer
   */
  tenant_id: string;
  /**
   * Feed the record came from, e.g. graph.signIns.interactive, management.Audit.Exchange, replay.file
   */
  source: string;
  /**
   * Stable id: Microsoft's record id, or a content hash for snapshots and changes
   */
  event_id: string;
  /**
   * When it happened (event time), epoch milliseconds UTC
   */
  time: number;
  /**
   * When Nightjar received it, epoch milliseconds UTC
   */
  ingest_time: number;
  /**
   * created, removed, status, quantity, commitment_end
   */
  change: string;
  /**
   * Default: null
   */
  previous_value: null | string;
  /**
   * Default: null
   */
  current_value: null | string;
  subscription_uid: string;
  /**
   * Default: null
   */
  offer_uid: null | string;
  /**
   * Default: null
   */
  offer_name: null | string;
  /**
   * Default: null
   */
  friendly_name: null | string;
  /**
   * Default: 0
   */
  quantity: number;
  /**
   * active, suspended, deleted, pending, expired…
   */
  status: string;
  /**
   * Default: null
   */
  commitment_end_time: null | number;
  /**
   * Default: null
   */
  auto_renew: null | boolean;
  /**
   * Default: null
   */
  billing_cycle: null | string;
  /**
   * Default: null
   */
  term_duration: null | string;
  /**
   * Default: false
   */
  is_trial: boolean;
  /**
   * Default: []
   */
  suspension_reasons: string[];
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
