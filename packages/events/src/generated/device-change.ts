// Generated from schemas/avro/device-change.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * A difference between two device snapshots (OCSF Device Config State Change)
 */
export interface DeviceChange {
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
   * enrolled, removed, compliance, os_version, stale
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
  /**
   * Intune managed device id
   */
  device_uid: string;
  /**
   * Default: null
   */
  device_name: null | string;
  /**
   * Primary user
   *
   * Default: null
   */
  user_name: null | string;
  /**
   * Default: null
   */
  os: null | string;
  /**
   * Default: null
   */
  os_version: null | string;
  /**
   * compliant, noncompliant, inGracePeriod, unknown, …
   */
  compliance_state: string;
  /**
   * Default: null
   */
  last_sync_time: null | number;
  /**
   * Default: null
   */
  enrolled_time: null | number;
  /**
   * Default: null
   */
  is_encrypted: null | boolean;
  /**
   * True, False or Unknown
   *
   * Default: null
   */
  jail_broken: null | string;
  /**
   * Default: null
   */
  owner_type: null | string;
  /**
   * Entra device id, joins to sign-ins
   *
   * Default: null
   */
  azure_ad_device_uid: null | string;
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
