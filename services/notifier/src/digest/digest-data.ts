import type { HistoryStore } from '@nightjar/store';
import type { Severity } from '../channels/channel.ts';

/** What a digest reports for one MSP, or one of its customers, over one period. */
export interface DigestData {
  readonly mspId: string;
  /** Null for the MSP-wide digest. */
  readonly tenantId: string | null;
  /** Epoch milliseconds, [from, to). */
  readonly from: number;
  readonly to: number;
  readonly alertsBySeverity: Readonly<Partial<Record<Severity, number>>>;
  readonly topRules: readonly { ruleId: string; ruleName: string; alerts: number }[];
  readonly topUsers: readonly { name: string; alerts: number }[];
  readonly topIps: readonly { ip: string; alerts: number }[];
  readonly nonCompliantDevices: readonly {
    tenantId: string;
    deviceName: string;
    userName: string;
    os: string;
    state: string;
    lastSync: number | null;
  }[];
  readonly nonCompliantTotal: number;
  readonly subscriptionsAtRisk: readonly {
    tenantId: string;
    name: string;
    status: string;
    endsAt: number | null;
    autoRenew: boolean | null;
  }[];
}

export interface DigestSource {
  collect(scope: { mspId: string; tenantId: string | null }, from: number, to: number): Promise<DigestData>;
}

const DAY_MS = 86_400_000;
const EXPIRING_WITHIN_MS = 30 * DAY_MS;
const LISTED = 200;

/**
 * The digest's figures from the history store, the same SQL on chDB and on a
 * ClickHouse server. Devices and subscriptions are their current state (FINAL
 * keeps the newest snapshot row); alerts are those opened in the period.
 */
export function historyDigestSource(store: HistoryStore): DigestSource {
  return {
    async collect(scope, from, to) {
      const params = {
        msp: scope.mspId,
        tenant: scope.tenantId ?? '',
        from: from / 1000,
        to: to / 1000,
        horizon: (to + EXPIRING_WITHIN_MS) / 1000,
      };
      const alertScope = `msp_id = {msp:String} AND ({tenant:String} = '' OR has(tenant_ids, {tenant:String}))
        AND created_time >= fromUnixTimestamp64Milli(toInt64({from:Float64} * 1000))
        AND created_time < fromUnixTimestamp64Milli(toInt64({to:Float64} * 1000))`;
      const tenantScope = `msp_id = {msp:String} AND ({tenant:String} = '' OR tenant_id = {tenant:String})`;
      const [severities, rules, users, ips, devices, deviceTotal, subscriptions] = await Promise.all([
        store.query<{ severity: string; n: string }>(
          `SELECT severity, count() AS n FROM alerts FINAL WHERE ${alertScope} GROUP BY severity`,
          params,
        ),
        store.query<{ rule_id: string; rule_name: string; n: string }>(
          `SELECT rule_id, any(rule_name) AS rule_name, count() AS n FROM alerts FINAL WHERE ${alertScope}
           GROUP BY rule_id ORDER BY n DESC, rule_id LIMIT 10`,
          params,
        ),
        store.query<{ name: string; n: string }>(
          `SELECT arrayJoin(users) AS name, count() AS n FROM alerts FINAL WHERE ${alertScope}
           GROUP BY name ORDER BY n DESC, name LIMIT 10`,
          params,
        ),
        store.query<{ ip: string; n: string }>(
          `SELECT arrayJoin(ips) AS ip, count() AS n FROM alerts FINAL WHERE ${alertScope}
           GROUP BY ip ORDER BY n DESC, ip LIMIT 10`,
          params,
        ),
        store.query<{
          tenant_id: string;
          device_name: string | null;
          device_uid: string;
          user_name: string | null;
          os: string | null;
          os_version: string | null;
          compliance_state: string;
          last_sync: string | null;
        }>(
          `SELECT tenant_id, device_name, device_uid, user_name, os, os_version, compliance_state,
                  toUnixTimestamp64Milli(last_sync_time) AS last_sync
           FROM devices FINAL WHERE ${tenantScope} AND compliance_state IN ('noncompliant', 'error', 'conflict')
           ORDER BY tenant_id, device_name LIMIT ${LISTED}`,
          params,
        ),
        store.query<{ n: string }>(
          `SELECT count() AS n FROM devices FINAL
           WHERE ${tenantScope} AND compliance_state IN ('noncompliant', 'error', 'conflict')`,
          params,
        ),
        store.query<{
          tenant_id: string;
          name: string;
          status: string;
          ends: string | null;
          auto_renew: boolean | number | null;
        }>(
          `SELECT tenant_id, coalesce(friendly_name, offer_name, subscription_uid) AS name, status,
                  toUnixTimestamp64Milli(commitment_end_time) AS ends, auto_renew
           FROM subscriptions FINAL
           WHERE ${tenantScope} AND (lower(status) IN ('suspended', 'disabled', 'expired')
             OR (commitment_end_time IS NOT NULL
                 AND commitment_end_time < fromUnixTimestamp64Milli(toInt64({horizon:Float64} * 1000))))
           ORDER BY ends, tenant_id LIMIT ${LISTED}`,
          params,
        ),
      ]);
      return {
        mspId: scope.mspId,
        tenantId: scope.tenantId,
        from,
        to,
        alertsBySeverity: Object.fromEntries(severities.map((row) => [row.severity, Number(row.n)])),
        topRules: rules.map((row) => ({ ruleId: row.rule_id, ruleName: row.rule_name, alerts: Number(row.n) })),
        topUsers: users.map((row) => ({ name: row.name, alerts: Number(row.n) })),
        topIps: ips.map((row) => ({ ip: row.ip, alerts: Number(row.n) })),
        nonCompliantDevices: devices.map((row) => ({
          tenantId: row.tenant_id,
          deviceName: row.device_name ?? row.device_uid,
          userName: row.user_name ?? '',
          os: [row.os, row.os_version].filter(Boolean).join(' '),
          state: row.compliance_state,
          lastSync: row.last_sync === null ? null : Number(row.last_sync),
        })),
        nonCompliantTotal: Number(deviceTotal[0]?.n ?? 0),
        subscriptionsAtRisk: subscriptions.map((row) => ({
          tenantId: row.tenant_id,
          name: row.name,
          status: row.status,
          endsAt: row.ends === null ? null : Number(row.ends),
          autoRenew: row.auto_renew === null ? null : Boolean(row.auto_renew),
        })),
      };
    },
  };
}
