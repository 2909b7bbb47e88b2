// Generated from schemas/avro/audit-record.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * A unified audit log record of the Office 365 Management Activity API (OCSF API Activity): common schema typed, workload fields kept
 */
export interface AuditRecord {
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
   * Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, Audit.General or DLP.All
   */
  content_type: string;
  record_type: number;
  operation: string;
  workload: string;
  /**
   * UserId: UPN, or a service identity
   */
  user_id: string;
  /**
   * Default: null
   */
  user_key: null | string;
  /**
   * Default: null
   */
  user_type: null | number;
  /**
   * Client IP without port
   *
   * Default: null
   */
  src_ip: null | string;
  /**
   * Default: null
   */
  result_status: null | string;
  /**
   * Default: null
   */
  object_id: null | string;
  /**
   * Every field outside the common schema, JSON-encoded
   *
   * Default: {}
   */
  fields: {
    [index: string]: string;
  };
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
