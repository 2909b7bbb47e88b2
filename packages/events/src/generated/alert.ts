// Generated from schemas/avro/alert.avsc by packages/events/scripts/generate-types.ts; do not edit.

/**
 * One incident: a rule firing for one entity, grouped within the rule's window. Published again, with the same alert_id and a higher revision, each time new evidence joins it; consumers upsert by alert_id.
 */
export interface Alert {
  /**
   * Stable id: rule, tenant (or MSP for cross-tenant rules), entity and the window the incident opened in
   */
  alert_id: string;
  /**
   * Starts at 1 and rises with every update; the highest revision wins
   */
  revision: number;
  msp_id: string;
  /**
   * Null for incidents spanning several tenants (cross-tenant rules)
   *
   * Default: null
   */
  tenant_id: null | string;
  /**
   * Every tenant involved
   *
   * Default: []
   */
  tenant_ids: string[];
  /**
   * e.g. AUTH-005
   */
  rule_id: string;
  rule_name: string;
  /**
   * info, low, medium, high or critical
   */
  severity: string;
  /**
   * ATT&CK technique ids, e.g. T1110.003
   *
   * Default: []
   */
  mitre_techniques: string[];
  /**
   * user, ip, device, subscription, mailbox, app, tenant
   */
  entity_type: string;
  entity_id: string;
  /**
   * One human sentence with the figures that justify the alert
   */
  summary: string;
  /**
   * Event time of the earliest evidence
   */
  first_seen: number;
  /**
   * Event time of the latest evidence
   */
  last_seen: number;
  /**
   * Events that contributed, including those beyond the kept event_ids
   */
  event_count: number;
  /**
   * Ids of the contributing events (the first ones, capped)
   *
   * Default: []
   */
  event_ids: string[];
  /**
   * Default: []
   */
  users: string[];
  /**
   * Default: []
   */
  ips: string[];
  /**
   * Default: []
   */
  countries: string[];
  /**
   * Rule-specific figures (distance_km, speed_kmh, distinct_users, …)
   *
   * Default: {}
   */
  details: {
    [index: string]: string;
  };
  /**
   * When the engine first raised it
   */
  created_time: number;
  /**
   * When the engine raised this revision
   */
  updated_time: number;
}
