import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { encodeEvent, type DecodedEvent, type DeviceChange, type DeviceSnapshot } from '@nightjar/events';
import { Sink, type SinkOptions } from '@nightjar/sink';
import type { HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { ApiKeys } from '../api-keys.ts';
import { buildApi } from '../app.ts';

const DAY = 86_400_000;
const MSP = 'msp-devices';
const log = pino({ level: 'silent' });

let store: HistoryStore;
let sink: Sink;
let deliver: (events: readonly DecodedEvent[]) => Promise<void>;
let app: FastifyInstance;
let analyst: string;

function snapshot(device: string, tenant: string, at: number, fields: Partial<DeviceSnapshot> = {}): DeviceSnapshot {
  return {
    msp_id: MSP,
    tenant_id: tenant,
    source: 'graph.managedDevices',
    event_id: `${device}@${at}`,
    time: at,
    ingest_time: at,
    device_uid: device,
    device_name: device,
    user_name: `owner@${tenant}.example`,
    os: 'Windows',
    os_version: '10.0.22631',
    compliance_state: 'compliant',
    last_sync_time: at,
    enrolled_time: at - 100 * DAY,
    is_encrypted: true,
    jail_broken: null,
    owner_type: 'company',
    azure_ad_device_uid: null,
    raw: '{}',
    ...fields,
  };
}

/** What the collector emits when a device it saw is gone from the next poll. */
function removal(last: DeviceSnapshot, at: number): DeviceChange {
  const { event_id: _id, time: _time, ingest_time: _ingest, ...rest } = last;
  return {
    ...rest,
    event_id: `removed:${last.event_id}`,
    time: at,
    ingest_time: at,
    change: 'removed',
    previous_value: last.compliance_state,
    current_value: null,
  };
}

/**
 * The sink as it runs, minus the broker (this package does not depend on one): it subscribes to a bus
 * that hands each batch straight to its handler, so a batch is written when `deliver` returns.
 */
function busDeliveringInline(): SinkOptions['bus'] {
  const bus = {
    subscribe: (options: { handler: (batch: unknown) => Promise<void> }) => {
      let offset = 0;
      deliver = (events) =>
        options.handler({
          topic: 'devices',
          partition: 0,
          messages: events.map((event) => ({
            ...encodeEvent(event),
            topic: 'devices',
            partition: 0,
            offset: String(offset++),
            headers: {},
            timestamp: Date.now(),
          })),
        });
      return Promise.resolve({ ready: () => true, stop: () => Promise.resolve() });
    },
  };
  return bus as unknown as SinkOptions['bus'];
}

/** prom-client is the sink's dependency, not this package's; the sink only registers its metrics. */
const metricsNobodyReads = { registerMetric: () => undefined } as unknown as SinkOptions['metrics'];

async function get(url: string): Promise<Record<string, unknown>> {
  const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${analyst}` } });
  expect(response.statusCode).toBe(200);
  return response.json<Record<string, unknown>>();
}

const uids = (json: Record<string, unknown>): string[] =>
  (json['items'] as { device_uid: string }[]).map((item) => item.device_uid).sort();

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-devices-')) });
  sink = new Sink({
    bus: busDeliveringInline(),
    store,
    topics: ['devices'],
    deadLetterTopic: 'dead-letters',
    log,
    metrics: metricsNobodyReads,
  });
  await sink.start();
  app = await buildApi({ store, log });
  analyst = (await new ApiKeys(store, undefined).issue(MSP, 'analyst', 'analyst')).key;
});
afterAll(async () => {
  await app?.close();
  await sink?.stop();
  await store?.close();
});

describe('devices the collector saw disappear', () => {
  it('leave the compliance summary, the device lists and the OS distribution, and come back when re-enrolled', async () => {
    const now = Date.now();
    const polled = now - 2 * DAY;
    const kept = snapshot('laptop-kept', 'tenant-1', polled);
    const gone = snapshot('laptop-gone', 'tenant-1', polled, {
      compliance_state: 'noncompliant',
      os: 'macOS',
      os_version: '14.5',
      last_sync_time: polled - 60 * DAY,
    });
    const otherTenant = snapshot('phone-gone', 'tenant-2', polled, { os: 'iOS', os_version: '17.5' });
    await deliver([
      { kind: 'device-snapshot', event: kept },
      { kind: 'device-snapshot', event: gone },
      { kind: 'device-snapshot', event: otherTenant },
    ]);
    expect(await get('/v1/devices/compliance')).toMatchObject({ devices: 3, nonCompliant: 1 });

    await deliver([
      { kind: 'device-change', event: removal(gone, now - DAY) },
      { kind: 'device-change', event: removal(otherTenant, now - DAY) },
    ]);

    const summary = await get('/v1/devices/compliance');
    expect(summary).toMatchObject({ devices: 1, nonCompliant: 0, compliantShare: 1 });
    expect((summary['tenants'] as { tenant_id: string }[]).map((row) => row.tenant_id)).toEqual(['tenant-1']);
    expect(await get('/v1/devices/compliance?tenant=tenant-2')).toMatchObject({ devices: 0, tenants: [] });
    expect(uids(await get('/v1/devices'))).toEqual(['laptop-kept']);
    expect(uids(await get('/v1/devices?staleDays=30'))).toEqual([]);
    expect(uids(await get('/v1/devices?nonCompliant=true'))).toEqual([]);
    expect((await get('/v1/devices/os-versions'))['items']).toEqual([
      { os: 'Windows', os_version: '10.0.22631', devices: '1' },
    ]);
    // The removal is kept as history.
    const changes = await store.query<{ device_uid: string }>(
      "SELECT device_uid FROM device_changes FINAL WHERE change = 'removed' ORDER BY device_uid",
    );
    expect(changes.map((row) => row.device_uid)).toEqual(['laptop-gone', 'phone-gone']);

    await deliver([{ kind: 'device-snapshot', event: snapshot('phone-gone', 'tenant-2', now, { os: 'iOS' }) }]);
    expect(uids(await get('/v1/devices'))).toEqual(['laptop-kept', 'phone-gone']);
  });
});
