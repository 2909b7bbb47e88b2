// Generated from schemas/avro/directory-audit.avsc by packages/events/scripts/generate-types.ts; do not edit.

export interface ModifiedProperty {
  name: string;
  /**
   * JSON-encoded, as Microsoft sends it
   *
   * Default: null
   */
  old_value: null | string;
  /**
   * Default: null
   */
  new_value: null | string;
}

export interface AuditTarget {
  /**
   * Default: null
   */
  uid: null | string;
  /**
   * Default: null
   */
  name: null | string;
  /**
   * Default: null
   */
  type: null | string;
  /**
   * Default: null
   */
  user_name: null | string;
  /**
   * Default: []
   */
  modified_properties: ModifiedProperty[];
}

/**
 * An Entra ID directory audit (OCSF Account Change / Entity Management) from Graph auditLogs/directoryAudits or Management API RecordType 8
 */
export interface DirectoryAudit {
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
   * activityDisplayName without a trailing period, e.g. Add member to role
   */
  activity: string;
  /**
   * Default: null
   */
  category: null | string;
  /**
   * Default: null
   */
  operation_type: null | string;
  /**
   * success, failure, timeout
   */
  result: string;
  /**
   * Default: null
   */
  result_reason: null | string;
  /**
   * Default: null
   */
  logged_by_service: null | string;
  /**
   * Default: null
   */
  correlation_id: null | string;
  /**
   * Initiating user id
   *
   * Default: null
   */
  actor_user_uid: null | string;
  /**
   * Initiating user principal name
   *
   * Default: null
   */
  actor_user_name: null | string;
  /**
   * Default: null
   */
  actor_ip: null | string;
  /**
   * Initiating application id
   *
   * Default: null
   */
  actor_app_uid: null | string;
  /**
   * Default: null
   */
  actor_app_name: null | string;
  /**
   * Default: []
   */
  targets: AuditTarget[];
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
