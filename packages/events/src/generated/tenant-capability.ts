// Generated from schemas/avro/tenant-capability.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * Whether a tenant can serve a feed, and in plain words why not
 */
export interface TenantCapability {
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
   * signins, directory, users, devices, audit, subscriptions
   */
  feed: string;
  available: boolean;
  /**
   * e.g. tenant has no Entra ID P1 licence: sign-in logs unavailable
   *
   * Default: null
   */
  reason: null | string;
  /**
   * Default: []
   */
  licence_sku_part_numbers: string[];
}
