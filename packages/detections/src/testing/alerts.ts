import type { Alert } from '@nightjar/events';

/**
 * A valid first revision of a medium password-spray alert for one tenant, as
 * the detector publishes it; override what the test is about. Times default
 * to now, so tables with a retention TTL keep it.
 */
export function testAlert(overrides: Partial<Alert> = {}): Alert {
  const now = Date.now();
  const tenant = overrides.tenant_id ?? 'tenant-a';
  return {
    alert_id: `alert-${Math.random().toString(36).slice(2, 10)}`,
    revision: 1,
    msp_id: 'msp-contoso',
    tenant_id: tenant,
    tenant_ids: tenant === null ? [] : [tenant],
    rule_id: 'AUTH-005',
    rule_name: 'Password spray',
    severity: 'medium',
    mitre_techniques: ['T1110.003'],
    entity_type: 'ip',
    entity_id: '203.0.113.9',
    summary: '12 users failed from one IP',
    first_seen: now,
    last_seen: now,
    event_count: 1,
    event_ids: [],
    users: [],
    ips: [],
    countries: [],
    details: {},
    created_time: now,
    updated_time: now,
    ...overrides,
  };
}
