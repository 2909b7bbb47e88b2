// Generated from schemas/avro/sign-in.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * An Entra ID sign-in (OCSF Authentication), interactive or not, from Graph auditLogs/signIns or the Management API UserLoggedIn/UserLoginFailed records
 */
export interface SignIn {
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
   * Entra object id of the user
   */
  user_uid: string;
  /**
   * User principal name, lower case
   */
  user_name: string;
  /**
   * Display name
   *
   * Default: null
   */
  user_display_name: null | string;
  is_interactive: boolean;
  /**
   * success, failure or interrupted (a second factor or consent was pending)
   */
  status: string;
  /**
   * AADSTS error code; 0 on success
   */
  status_code: number;
  /**
   * Microsoft's failure reason
   *
   * Default: null
   */
  status_detail: null | string;
  /**
   * Client application id
   *
   * Default: null
   */
  app_uid: null | string;
  /**
   * Client application name
   *
   * Default: null
   */
  app_name: null | string;
  /**
   * Resource (audience) id
   *
   * Default: null
   */
  resource_uid: null | string;
  /**
   * Resource (audience) name
   *
   * Default: null
   */
  resource_name: null | string;
  /**
   * Source IP address, v4 or v6; may be partially redacted for partner sign-ins
   *
   * Default: null
   */
  src_ip: null | string;
  /**
   * ISO 3166 alpha-2 country
   *
   * Default: null
   */
  src_country: null | string;
  /**
   * Default: null
   */
  src_region: null | string;
  /**
   * Default: null
   */
  src_city: null | string;
  /**
   * Default: null
   */
  src_lat: null | number;
  /**
   * Default: null
   */
  src_lon: null | number;
  /**
   * clientAppUsed, e.g. Browser, Mobile Apps and Desktop clients, IMAP4, Authenticated SMTP
   *
   * Default: null
   */
  client_app: null | string;
  /**
   * The client app is a legacy (basic authentication) protocol
   */
  is_legacy_auth: boolean;
  /**
   * User agent, where the feed carries one
   *
   * Default: null
   */
  user_agent: null | string;
  /**
   * Entra device id
   *
   * Default: null
   */
  device_uid: null | string;
  /**
   * Default: null
   */
  device_name: null | string;
  /**
   * Default: null
   */
  device_os: null | string;
  /**
   * Default: null
   */
  device_browser: null | string;
  /**
   * Default: null
   */
  device_is_compliant: null | boolean;
  /**
   * Default: null
   */
  device_is_managed: null | boolean;
  /**
   * Default: null
   */
  device_trust_type: null | string;
  /**
   * none, low, medium, high or hidden (no P2 licence)
   *
   * Default: null
   */
  risk_level_during: null | string;
  /**
   * Default: null
   */
  risk_level_aggregated: null | string;
  /**
   * Default: null
   */
  risk_state: null | string;
  /**
   * Default: null
   */
  risk_detail: null | string;
  /**
   * riskEventTypes_v2
   *
   * Default: []
   */
  risk_event_types: string[];
  /**
   * success, failure, notApplied
   *
   * Default: null
   */
  conditional_access_status: null | string;
  /**
   * Default: null
   */
  correlation_id: null | string;
  /**
   * Session id, where the feed carries one (beta, Management API)
   *
   * Default: null
   */
  session_id: null | string;
  /**
   * The original record exactly as Microsoft sent it (JSON), so nothing is dropped
   */
  raw: string;
}
