/**
 * Detector throughput end to end on one process: a backlog of sign-ins in
 * Kafka, then one detector (Redis state) draining it, decode, rules, alerts
 * and offset commits included. The engine bench
 * (packages/detections/src/bench/engine-bench.ts) measures the engine alone.
 *
 *   set -a; source deploy/local/.run/env; set +a
 *   node src/bench/throughput.ts [events] [partitions]
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { failedSignIn, signIn } from '@nightjar/detections/testing';
import { encodeEvent, type SignIn } from '@nightjar/events';
import { createRedisState } from '@nightjar/state/redis';
import { kafkaBrokers, redisUrl, uniqueName } from '@nightjar/testkit';
import { Detector } from '../detector.ts';

const total = Number(process.argv[2] ?? 100_000);
const partitions = Number(process.argv[3] ?? 6);
const prefix = `${uniqueName('detector-throughput')}.`;
const topics = { signIns: `${prefix}signins`, alerts: `${prefix}alerts`, deadLetters: `${prefix}dead-letters` };
const bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('detector-throughput') });
const state = createRedisState({ url: redisUrl(), keyPrefix: `${prefix}:` });

function event(sequence: number): SignIn {
  const tenant = sequence % 40;
  const user = (sequence * 7919) % 20_000;
  const base = {
    event_id: `throughput-${sequence}`,
    tenant_id: `tenant-${tenant}`,
    user_name: `u${user}@tenant${tenant}.example`,
    user_uid: `uid-${tenant}-${user}`,
    src_ip: `198.51.${tenant}.${user % 250}`,
    time: Date.UTC(2026, 2, 2) + sequence * 20,
    session_id: `s-${tenant}-${user}`,
  };
  if (sequence % 50 === 0) return signIn({ ...base, client_app: 'IMAP4', is_legacy_auth: true });
  if (sequence % 10 === 0) return failedSignIn(base);
  return signIn({ ...base, is_interactive: sequence % 3 !== 0 });
}

await bus.ensureTopics([
  { name: topics.signIns, partitions },
  { name: topics.alerts, partitions },
  { name: topics.deadLetters, partitions: 1 },
]);
for (let start = 0; start < total; start += 5_000) {
  const chunk = Array.from({ length: Math.min(5_000, total - start) }, (_, index) => event(start + index));
  await bus.publish(
    topics.signIns,
    chunk.map((item) => encodeEvent({ kind: 'sign-in', event: item })),
  );
}

const metrics = new Registry();
const detector = new Detector({
  bus,
  state,
  topics: [topics.signIns],
  alertTopic: topics.alerts,
  deadLetterTopic: topics.deadLetters,
  groupId: uniqueName('throughput-detector'),
  log: pino({ level: 'warn' }),
  metrics,
});

async function evaluated(): Promise<number> {
  const metric = await metrics.getSingleMetric('nightjar_detector_events_total')?.get();
  return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

try {
  await detector.start();
  let started: number | undefined;
  for (;;) {
    const count = await evaluated();
    if (count > 0 && started === undefined) started = performance.now();
    if (count >= total) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Timed from the first evaluated batch, so the consumer group's join is not counted.
  const seconds = (performance.now() - started!) / 1000;
  console.log(
    `detector, ${partitions} partitions, Redis: ${Math.round(total / seconds).toLocaleString('en-US')} events/s ` +
      `(${total} sign-ins from Kafka in ${seconds.toFixed(2)} s)`,
  );
} finally {
  await detector.stop();
  await bus.close();
  await state.close();
}
