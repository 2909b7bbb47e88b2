/**
 * Detection latency: sign-ins appended to Kafka at a steady rate, one
 * detector (this process, Redis state) evaluating them, and the time from
 * each event's append to the append of the alert it raised. Every fiftieth
 * event is a first IMAP sign-in of a new user, which AUTH-014 alerts on at
 * once; the rest is ordinary traffic for the rules to chew on.
 *
 *   set -a; source deploy/local/.run/env; set +a
 *   node src/bench/latency.ts [rates, e.g. 2000,5000,17000] [seconds per rate]
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { BusMessage } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { failedSignIn, signIn } from '@nightjar/detections/testing';
import { decodeEvent, encodeEvent, type SignIn } from '@nightjar/events';
import { createRedisState } from '@nightjar/state/redis';
import { kafkaBrokers, redisUrl, uniqueName } from '@nightjar/testkit';
import { Detector } from '../detector.ts';

const rates = (process.argv[2] ?? '2000,5000,17000').split(',').map(Number);
const seconds = Number(process.argv[3] ?? 15);
const TICK_MS = 10;
const ALERT_EVERY = 50;
const PARTITIONS = 6;

const prefix = `${uniqueName('latency')}.`;
const topics = { signIns: `${prefix}signins`, alerts: `${prefix}alerts`, deadLetters: `${prefix}dead-letters` };
const bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('latency-bench') });
const state = createRedisState({ url: redisUrl(), keyPrefix: `${prefix}:` });
await bus.ensureTopics([
  { name: topics.signIns, partitions: PARTITIONS },
  { name: topics.alerts, partitions: PARTITIONS },
  { name: topics.deadLetters, partitions: 1 },
]);

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let evaluated = 0;
const detector = new Detector({
  bus,
  state,
  topics: [topics.signIns],
  alertTopic: topics.alerts,
  deadLetterTopic: topics.deadLetters,
  groupId: uniqueName('latency-detector'),
  log: pino({ level: 'warn' }),
  metrics: new Registry(),
});
const alerts = await bus.subscribe({
  groupId: uniqueName('latency-alerts'),
  topics: [topics.alerts],
  handler: async (batch) => {
    for (const message of batch.messages) record(message);
  },
});
await detector.start();

function record(message: BusMessage): void {
  const decoded = decodeEvent(message.value);
  if (decoded.kind !== 'alert') return;
  const appended = decoded.event.event_ids.map((id) => sentAt.get(id)).filter((at) => at !== undefined);
  if (appended.length > 0) latencies.push(message.timestamp - Math.max(...appended));
}

let sequence = 0;
function nextEvent(): SignIn {
  sequence += 1;
  const tenant = sequence % 40;
  const user = sequence % 5_000;
  const base = {
    event_id: `latency-${sequence}`,
    tenant_id: `tenant-${tenant}`,
    user_name: `u${user}@tenant${tenant}.example`,
    user_uid: `uid-${tenant}-${user}`,
    src_ip: `198.51.${tenant}.${user % 250}`,
    time: Date.now(),
    session_id: `s-${tenant}-${user}`,
  };
  if (sequence % ALERT_EVERY === 0) {
    const newcomer = { ...base, user_name: `imap${sequence}@tenant${tenant}.example`, user_uid: `imap-${sequence}` };
    return signIn({ ...newcomer, client_app: 'IMAP4', is_legacy_auth: true });
  }
  return sequence % 10 === 0 ? failedSignIn(base) : signIn(base);
}

async function runAt(rate: number): Promise<void> {
  latencies.length = 0;
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const started = performance.now();
  let sent = 0;
  const inFlight: Promise<void>[] = [];
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / TICK_MS) * perTick) + perTick;
    if (sent < due) {
      const batch = Array.from({ length: due - sent }, () => nextEvent());
      const now = Date.now();
      for (const event of batch) sentAt.set(event.event_id, now);
      inFlight.push(
        bus.publish(
          topics.signIns,
          batch.map((event) => encodeEvent({ kind: 'sign-in', event })),
        ),
      );
      sent += batch.length;
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  await Promise.all(inFlight);
  const offered = sent / ((performance.now() - started) / 1000);
  const expectedAlerts = Math.floor(sent / ALERT_EVERY);
  const drainStarted = performance.now();
  while (latencies.length < expectedAlerts && performance.now() - drainStarted < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (quantile: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? NaN;
  console.log(
    `offered ${Math.round(offered).toLocaleString('en-US').padStart(6)} events/s for ${seconds} s: ` +
      `${sorted.length}/${expectedAlerts} alerts, append-to-alert p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)} ms` +
      `${sorted.length < expectedAlerts ? ' (detector fell behind; drain cut at 60 s)' : ''}`,
  );
  sentAt.clear();
  evaluated += sent;
}

try {
  console.log(`detector with Redis, ${PARTITIONS} partitions, targets: p50 <= 50 ms, p99 <= 1 s at 17,000 events/s`);
  for (const rate of rates) await runAt(rate);
} finally {
  await detector.stop();
  await alerts.stop();
  await bus.close();
  await state.close();
}
console.log(`${evaluated} events published in all`);
