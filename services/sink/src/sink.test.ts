import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '@nightjar/bus/memory';
import type { EventBus } from '@nightjar/bus';
import { EVENT_KINDS, SCHEMA_DIR, encodeSingleObject, type SignIn } from '@nightjar/events';
import { createChdbStore } from '@nightjar/store/chdb';
import type { HistoryStore } from '@nightjar/store';
import { waitFor } from '@nightjar/testkit';
import { Sink } from './sink.ts';
import { TABLES } from './tables.ts';

const log = pino({ level: 'silent' });
let store: HistoryStore;
let bus: EventBus;
let sink: Sink;

function signIn(index: number): SignIn {
  return {
    msp_id: 'msp-a',
    tenant_id: 'tenant-1',
    source: 'graph.signIns.interactive',
    event_id: `sign-in-${index}`,
    time: Date.UTC(2026, 2, 2, 8, 0, index),
    ingest_time: Date.UTC(2026, 2, 2, 9),
    user_uid: 'u-1',
    user_name: 'ana@fabrikam.example',
    user_display_name: null,
    is_interactive: true,
    status: index % 2 === 0 ? 'success' : 'failure',
    status_code: index % 2 === 0 ? 0 : 50126,
    status_detail: null,
    app_uid: null,
    app_name: null,
    resource_uid: null,
    resource_name: null,
    src_ip: index === 3 ? 'x.x.x.XXX' : `203.0.113.${index}`,
    src_country: 'NL',
    src_region: null,
    src_city: 'Amsterdam',
    src_lat: 52.37,
    src_lon: 4.89,
    client_app: 'Browser',
    is_legacy_auth: false,
    user_agent: null,
    device_uid: null,
    device_name: null,
    device_os: null,
    device_browser: null,
    device_is_compliant: null,
    device_is_managed: null,
    device_trust_type: null,
    risk_level_during: 'none',
    risk_level_aggregated: 'none',
    risk_state: 'none',
    risk_detail: 'none',
    risk_event_types: [],
    conditional_access_status: 'notApplied',
    correlation_id: null,
    session_id: null,
    raw: '{}',
  };
}

const spec = EVENT_KINDS['sign-in'];
const message = (event: SignIn) => ({ key: spec.key(event), value: encodeSingleObject(spec.schema, event) });

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-sink-')) });
  bus = createMemoryBus();
  await bus.ensureTopics([
    { name: 'signins', partitions: 2 },
    { name: 'dead-letters', partitions: 1 },
  ]);
  sink = new Sink({
    bus,
    store,
    topics: ['signins', 'dead-letters'],
    deadLetterTopic: 'dead-letters',
    log,
    metrics: new Registry(),
  });
  await sink.start();
});
afterAll(async () => {
  await sink.stop();
  await bus.close();
  await store.close();
});

const count = async (sql: string): Promise<number> => Number((await store.query<{ n: string }>(sql))[0]?.n);

describe('sink', () => {
  it('keeps every event, with IPv4 addresses queryable as IPv6 and redacted ones kept as text', async () => {
    await bus.publish(
      'signins',
      Array.from({ length: 10 }, (_, index) => message(signIn(index))),
    );
    await waitFor(
      async () => ((await count('SELECT count() AS n FROM signins')) === 10 ? true : undefined),
      '10 sign-ins stored',
    );
    const rows = await store.query<{ src_ip: string; address: string }>(
      "SELECT src_ip, toString(src_ip_address) AS address FROM signins WHERE event_id IN ('sign-in-2', 'sign-in-3') ORDER BY event_id",
    );
    expect(rows).toEqual([
      { src_ip: '203.0.113.2', address: '::ffff:203.0.113.2' },
      { src_ip: 'x.x.x.XXX', address: '::' },
    ]);
  });

  it('leaves one row per event when the same messages are delivered again', async () => {
    await bus.publish(
      'signins',
      Array.from({ length: 10 }, (_, index) => message(signIn(index))),
    );
    await waitFor(
      async () => ((await count('SELECT count() AS n FROM signins')) >= 20 ? true : undefined),
      'replay stored',
    );
    expect(await count('SELECT count() AS n FROM signins FINAL')).toBe(10);
  });

  it('sends what it cannot decode to the dead letters, with the reason, and goes on', async () => {
    await bus.publish('signins', [{ key: 'x', value: Buffer.from('{"not":"avro"}') }, message(signIn(42))]);
    await waitFor(
      async () => ((await count('SELECT count() AS n FROM dead_letter_records')) === 1 ? true : undefined),
      'dead letter stored',
    );
    const [letter] = await store.query<{ reason: string; stage: string }>(
      'SELECT reason, stage FROM dead_letter_records',
    );
    expect(letter).toEqual({ reason: expect.stringContaining('single-object') as string, stage: 'sink' });
    expect(await count("SELECT count() AS n FROM signins FINAL WHERE event_id = 'sign-in-42'")).toBe(1);
  });

  it('sends a row ClickHouse refuses as data to the dead letters with the reason, keeps the rest and goes on', async () => {
    // Avro's int is signed; status_code is a UInt32 column, which refuses a negative number on every retry.
    const refused = { ...signIn(50), status_code: -1 };
    await bus.publish('signins', [message(signIn(51)), message(refused), message(signIn(52))]);
    await waitFor(
      async () => ((await count('SELECT count() AS n FROM dead_letter_records')) === 2 ? true : undefined),
      'the refused row in the dead letters',
    );
    const [letter] = await store.query<{ reason: string; msp_id: string; tenant_id: string }>(
      "SELECT reason, msp_id, tenant_id FROM dead_letter_records WHERE reason LIKE 'signins refused%'",
    );
    expect(letter).toEqual({
      reason: expect.stringMatching(/^signins refused the row: .*Unsigned/) as string,
      msp_id: 'msp-a',
      tenant_id: 'tenant-1',
    });
    expect(
      await count(
        "SELECT count() AS n FROM signins FINAL WHERE event_id IN ('sign-in-50', 'sign-in-51', 'sign-in-52')",
      ),
    ).toBe(2);
    await bus.publish('signins', [message(signIn(53))]);
    await waitFor(
      async () =>
        (await count("SELECT count() AS n FROM signins WHERE event_id = 'sign-in-53'")) === 1 ? true : undefined,
      'the partition to go on past the refused row',
    );
  });

  it('has a column for every field of every event schema', async () => {
    for (const [kind, table] of Object.entries(TABLES)) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, `${kind}.avsc`), 'utf8')) as {
        fields: { name: string }[];
      };
      const columns = new Set(
        (await store.query<{ name: string }>(`DESCRIBE TABLE ${table}`)).map((column) => column.name),
      );
      for (const field of schema.fields) expect(columns, `${table}.${field.name}`).toContain(field.name);
    }
  });
});
