// Generated from schemas/avro/user-snapshot.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * A user with licences as Graph lists it at one poll (OCSF Entity: User)
 */
export interface UserSnapshot {
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
  user_uid: string;
  user_name: string;
  /**
   * Default: null
   */
  user_display_name: null | string;
  account_enabled: boolean;
  /**
   * Member or Guest
   *
   * Default: null
   */
  user_type: null | string;
  /**
   * Default: []
   */
  licence_sku_ids: string[];
  /**
   * Default: null
   */
  created_time: null | number;
  /**
   * signInActivity.lastSuccessfulSignInDateTime
   *
   * Default: null
   */
  last_sign_in_time: null | number;
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
