// Waits until the broker answers a metadata request and can coordinate consumer
// groups and transactions, or exits 1 after the deadline.
//
// A new broker creates __consumer_offsets and __transaction_state on the first
// group or transactional request; until they have leaders, such requests are
// answered with "coordinator not available". Doing that here, before anything
// else uses the broker, keeps the one-time cost out of the first group join.
import { Kafka, logLevel } from 'kafkajs';

const [broker = '127.0.0.1:9092', deadlineArg = '60000'] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineArg);
const kafka = new Kafka({
  clientId: 'nightjar-wait',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function untilDeadline<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
      await pause(500);
    }
  }
  const reason = last instanceof Error ? `: ${last.message}` : '';
  process.stderr.write(`[infra] kafka at ${broker}: ${what} not ready within ${deadlineArg} ms${reason}\n`);
  process.exit(1);
}

const cluster = await untilDeadline('metadata', async () => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
});
process.stderr.write(`[infra] kafka answers: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)\n`);

await untilDeadline('group coordinator', async () => {
  const admin = kafka.admin();
  try {
    await admin.connect();
    // Loads the broker list the coordinator lookup picks from.
    await admin.describeCluster();
    await admin.describeGroups(['nightjar-infra-warm-up']);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
});

await untilDeadline('transaction coordinator', async () => {
  const producer = kafka.producer({
    transactionalId: 'nightjar-infra-warm-up',
    maxInFlightRequests: 1,
    idempotent: true,
    retry: { retries: 5 },
  });
  try {
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.abort();
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
});
process.stderr.write('[infra] kafka coordinates groups and transactions\n');
process.exit(0);
