import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { signIn as aSignIn, testAlert } from '@nightjar/detections/testing';
import { encodeEvent, type Alert, type FeedHealth, type SignIn } from '@nightjar/events';
import type { HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { kafkaBrokers, uniqueName, waitFor } from '@nightjar/testkit';
import { Sink } from './sink.ts';
import { TABLES } from './tables.ts';

let bus: EventBus;
let store: HistoryStore;
const prefix = uniqueName('replay');
const topics = {
  signins: `${prefix}.signins`,
  alerts: `${prefix}.alerts`,
  health: `${prefix}.feed-health`,
  dead: `${prefix}.dead-letters`,
};

function signIn(index: number): SignIn {
  const now = Date.now();
  return aSignIn({
    msp_id: 'msp-r',
    tenant_id: `tenant-${index % 3}`,
    event_id: `replayed-${index}`,
    time: now - index * 60_000,
    ingest_time: now,
    user_uid: `u-${index % 7}`,
    user_name: `user${index % 7}@tenant-${index % 3}.example`,
    status: index % 4 === 0 ? 'failure' : 'success',
    status_code: index % 4 === 0 ? 50126 : 0,
    src_ip: `203.0.113.${index % 20}`,
  });
}

function alert(index: number, revision: number): Alert {
  const now = Date.now();
  return testAlert({
    alert_id: `alert-${index}`,
    revision,
    msp_id: 'msp-r',
    tenant_id: 'tenant-0',
    tenant_ids: ['tenant-0'],
    severity: revision > 1 ? 'high' : 'medium',
    mitre_techniques: [],
    entity_id: '203.0.113.1',
    summary: `revision ${revision}`,
    event_count: revision,
    updated_time: now + revision,
  });
}

/** Two reports per feed of one tenant: the older says failing, the newer ok. */
function healthReport(feed: string, newer: boolean): FeedHealth {
  const at = Date.now() - (newer ? 0 : 60_000);
  return {
    msp_id: 'msp-r',
    tenant_id: 'tenant-0',
    source: 'collector',
    event_id: `msp-r/tenant-0/${feed}@${at}`,
    time: at,
    ingest_time: at,
    feed,
    status: newer ? 'ok' : 'failing',
    last_success_time: newer ? at : null,
    last_attempt_time: at,
    last_error_code: 'NJ_MS_UNAVAILABLE',
    last_error: 'Microsoft answered 503',
    consecutive_failures: newer ? 0 : 2,
    caught_up: newer,
    read_through_time: newer ? at - 1_000 : null,
  };
}
// In the order ClickHouse sorts them.
const HEALTH_FEEDS = ['audit:Audit.Exchange', 'signins', 'signins-noninteractive'];

function sink(groupId: string, metrics = new Registry()): Sink {
  return new Sink({
    bus,
    store,
    topics: [topics.signins, topics.alerts, topics.health, topics.dead],
    deadLetterTopic: topics.dead,
    groupId,
    log: pino({ level: 'silent' }),
    metrics,
  });
}

async function rowsInserted(metrics: Registry): Promise<number> {
  const metric = (await metrics.getMetricsAsJSON()).find((entry) => entry.name === 'nightjar_sink_rows_total');
  return ((metric?.values ?? []) as { value: number }[]).reduce((sum, value) => sum + value.value, 0);
}

const UNDECODABLE = 4;

/** What an analyst and a dashboard would read, and the rows of every table the sink writes. */
async function figures(): Promise<Record<string, string>> {
  const everyTable = [...new Set([...Object.values(TABLES), 'signins_by_user'])]
    .map((table) => `(SELECT count() FROM ${table} FINAL) AS rows_in_${table}`)
    .join(',\n      ');
  const [row] = await store.query<Record<string, string>>(`
    SELECT
      (SELECT count() FROM (SELECT event_id FROM signins WHERE status = 'failure' LIMIT 1 BY event_id)) AS failures_by_event,
      (SELECT groupArray(summary) FROM (SELECT summary FROM alerts FINAL ORDER BY alert_id)) AS summaries,
      (SELECT uniqExactMerge(sign_ins) FROM signins_hourly) AS hourly,
      (SELECT groupArray(concat(feed, ' ', status, ' ', toString(consecutive_failures), ' ', toString(caught_up)))
         FROM (SELECT * FROM feed_health FINAL ORDER BY feed)) AS health,
      ${everyTable}`);
  return row!;
}

beforeAll(async () => {
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('replay') });
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-replay-')) });
  await bus.ensureTopics([
    { name: topics.signins, partitions: 3 },
    { name: topics.alerts, partitions: 2 },
    { name: topics.health, partitions: 2, compacted: true },
    { name: topics.dead, partitions: 1 },
  ]);
  await bus.publish(
    topics.signins,
    Array.from({ length: 300 }, (_, index) => ({ ...encodeEvent({ kind: 'sign-in', event: signIn(index) }) })),
  );
  await bus.publish(
    topics.signins,
    Array.from({ length: UNDECODABLE }, (_, index) => ({
      key: `bad-${index}`,
      value: Buffer.from(`not avro ${index}`),
    })),
  );
  await bus.publish(
    topics.alerts,
    [1, 2].flatMap((revision) =>
      Array.from({ length: 5 }, (_, index) => encodeEvent({ kind: 'alert', event: alert(index, revision) })),
    ),
  );
  await bus.publish(
    topics.health,
    [false, true].flatMap((newer) =>
      HEALTH_FEEDS.map((feed) => encodeEvent({ kind: 'feed-health', event: healthReport(feed, newer) })),
    ),
  );
});
afterAll(async () => {
  await bus.close();
  await store.close();
});

describe('replaying topics into the sink from offset zero', () => {
  it('leaves every count, the newest alert revisions and the dashboard aggregate unchanged', async () => {
    const first = sink(uniqueName('sink-first'));
    await first.start();
    await waitFor(
      async () => {
        const stored = await figures();
        const letters = stored['rows_in_dead_letter_records'];
        return stored['rows_in_signins'] === '300' &&
          stored['rows_in_alerts'] === '5' &&
          stored['rows_in_feed_health'] === '3' &&
          JSON.stringify(stored['health']) === JSON.stringify(HEALTH_FEEDS.map((feed) => `${feed} ok 0 true`)) &&
          letters === String(UNDECODABLE)
          ? true
          : undefined;
      },
      'the first pass stored',
      60_000,
      200,
    );
    await first.stop();
    const once = await figures();
    expect(once).toMatchObject({
      rows_in_signins: '300',
      failures_by_event: '75',
      rows_in_alerts: '5',
      rows_in_dead_letter_records: String(UNDECODABLE),
      hourly: '300',
      rows_in_feed_health: '3',
    });

    const replayMetrics = new Registry();
    const replay = sink(uniqueName('sink-replay'), replayMetrics);
    await replay.start();
    await waitFor(
      // The letters on the dead-letter topic, and the same letters sent there again by this pass.
      async () => ((await rowsInserted(replayMetrics)) >= 316 + 2 * UNDECODABLE ? true : undefined),
      'the replay to be written',
      60_000,
      200,
    );
    await replay.stop();
    expect(await figures()).toEqual(once);
  }, 120_000);
});
