import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, FeedHealth, SignIn } from '@nightjar/events';
import { signIn as aSignIn, testAlert } from '@nightjar/detections/testing';
import { MIGRATIONS_DIR, toRow } from '@nightjar/sink';
import { clickhouseTime, loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';

/** What each MSP of the test history holds, so a test can look for any of it in an answer. */
export interface MspFixture {
  readonly mspId: string;
  readonly tenants: readonly string[];
  readonly users: readonly string[];
  readonly alerts: readonly string[];
  readonly ips: readonly string[];
  readonly devices: readonly string[];
  /** The message of the failure its second tenant's non-interactive sign-ins feed reports. */
  readonly feedError: string;
  /** Every string that belongs to this MSP alone. */
  readonly markers: readonly string[];
}

const HOUR = 3_600_000;

export function signIn(mspId: string, tenant: string, user: string, index: number, now: number): SignIn {
  const failed = index % 3 === 0;
  return aSignIn({
    msp_id: mspId,
    tenant_id: tenant,
    event_id: `${tenant}-signin-${index}`,
    time: now - (index + 1) * HOUR,
    ingest_time: now,
    user_uid: `uid-${user}`,
    user_name: user,
    user_display_name: user.split('@')[0] ?? null,
    status: failed ? 'failure' : 'success',
    status_code: failed ? 50126 : 0,
    status_detail: failed ? 'Invalid username or password' : null,
    app_name: index % 2 === 0 ? 'Office 365 Exchange Online' : 'Microsoft Teams',
    src_ip: `198.51.${mspId === 'msp-a' ? 100 : 200}.${index % 5}`,
    src_country: index % 4 === 0 ? 'RU' : 'NL',
    src_city: index % 4 === 0 ? 'Moscow' : 'Amsterdam',
    src_lat: null,
    src_lon: null,
    risk_level_during: index % 7 === 0 ? 'high' : 'none',
  });
}

export function alert(mspId: string, tenant: string, id: string, now: number, severity = 'high'): Alert {
  return testAlert({
    alert_id: id,
    msp_id: mspId,
    tenant_id: tenant,
    tenant_ids: [tenant],
    severity,
    entity_type: 'user',
    entity_id: `${tenant}-victim`,
    summary: `spray against ${tenant}`,
    first_seen: now - HOUR,
    last_seen: now - HOUR,
    event_count: 3,
    event_ids: [`${tenant}-signin-0`],
    users: [`victim@${tenant}.example`],
    ips: ['203.0.113.50'],
    countries: ['RU'],
    created_time: now - HOUR,
    updated_time: now - HOUR,
  });
}

/** The health a collector reported for a feed: failing with `error` when one is given. */
export function feedHealth(mspId: string, tenant: string, feed: string, now: number, error?: string): FeedHealth {
  return {
    msp_id: mspId,
    tenant_id: tenant,
    source: 'collector',
    event_id: `${mspId}/${tenant}/${feed}@${now}`,
    time: now,
    ingest_time: now,
    feed,
    status: error === undefined ? 'ok' : 'failing',
    last_success_time: now - HOUR,
    last_attempt_time: now,
    last_error_code: error === undefined ? null : 'NJ_MS_UNAVAILABLE',
    last_error: error ?? null,
    consecutive_failures: error === undefined ? 0 : 3,
    caught_up: true,
    read_through_time: now - 2 * HOUR,
  };
}

/** A chDB history with two MSPs whose data shares no string, so leaks are visible. */
export async function historyOfTwoMsps(): Promise<{ store: HistoryStore; a: MspFixture; b: MspFixture }> {
  const store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-api-')) });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
  const now = Date.now();
  const fixtures: MspFixture[] = [];
  for (const mspId of ['msp-a', 'msp-b']) {
    const tenants = [`${mspId}-tenant-1`, `${mspId}-tenant-2`];
    const users = tenants.flatMap((tenant) => [`ana@${tenant}.example`, `bob@${tenant}.example`]);
    const signIns = users.flatMap((user, at) =>
      Array.from({ length: 30 }, (_, index) =>
        signIn(mspId, tenants[Math.floor(at / 2)]!, user, at * 100 + index, now),
      ),
    );
    await store.insert(
      'signins',
      signIns.map((event) => toRow('sign-in', event)),
    );
    const alerts = tenants.map((tenant, index) => alert(mspId, tenant, `${mspId}-alert-${index}`, now));
    await store.insert(
      'alerts',
      alerts.map((event) => toRow('alert', event)),
    );
    const devices = tenants.map((tenant) => `${tenant}-laptop`);
    await store.insert(
      'devices',
      devices.map((device, index) => ({
        msp_id: mspId,
        tenant_id: tenants[index],
        source: 'intune',
        event_id: device,
        time: '2026-12-01 10:00:00.000',
        ingest_time: '2026-12-01 10:00:00.000',
        device_uid: device,
        device_name: device,
        user_name: users[index],
        os: 'Windows',
        os_version: '10.0.19045',
        compliance_state: index === 0 ? 'noncompliant' : 'compliant',
        raw: '{}',
      })),
    );
    await store.insert(
      'subscriptions',
      tenants.map((tenant) => ({
        msp_id: mspId,
        tenant_id: tenant,
        source: 'partner-center',
        event_id: `${tenant}-sub`,
        time: '2026-12-01 10:00:00.000',
        ingest_time: '2026-12-01 10:00:00.000',
        subscription_uid: `${tenant}-sub`,
        friendly_name: `Business Premium for ${tenant}`,
        quantity: 10,
        status: 'active',
        commitment_end_time: clickhouseTime(now + 10 * 86_400_000),
        is_trial: false,
        suspension_reasons: [],
        raw: '{}',
      })),
    );
    await store.insert(
      'tenant_capabilities',
      tenants.map((tenant) => ({
        msp_id: mspId,
        tenant_id: tenant,
        source: 'graph.subscribedSkus',
        event_id: `${tenant}-cap`,
        time: '2026-12-01 10:00:00.000',
        ingest_time: '2026-12-01 10:00:00.000',
        feed: 'signins',
        available: true,
        reason: null,
        licence_sku_part_numbers: ['AAD_PREMIUM'],
      })),
    );
    const feedError = `${mspId} feed failure: Microsoft answered 503`;
    await store.insert(
      'feed_health',
      tenants
        .flatMap((tenant) => [
          feedHealth(mspId, tenant, 'signins', now),
          feedHealth(mspId, tenant, 'audit:Audit.Exchange', now),
        ])
        .concat(feedHealth(mspId, tenants[1]!, 'signins-noninteractive', now, feedError))
        .map((event) => toRow('feed-health', event)),
    );
    await store.insert(
      'notification_deliveries',
      alerts.map((event) => ({
        delivery_id: `${event.alert_id}-delivery/soc`,
        attempt: 1,
        msp_id: mspId,
        tenant_ids: event.tenant_ids,
        alert_ids: [event.alert_id],
        rule_ids: [event.rule_id],
        severity: event.severity,
        channel: 'slack',
        target: `${mspId}-soc`,
        status: 'delivered',
        provider_status: 200,
        provider_response: 'ok',
        error: null,
        repeated: false,
        time: '2026-12-01 10:00:00.000',
      })),
    );
    const ips = [...new Set(signIns.map((event) => event.src_ip!))];
    fixtures.push({
      mspId,
      tenants,
      users,
      alerts: alerts.map((event) => event.alert_id),
      ips,
      devices,
      feedError,
      markers: [mspId, ...tenants, ...users, ...ips, feedError],
    });
  }
  return { store, a: fixtures[0]!, b: fixtures[1]! };
}
