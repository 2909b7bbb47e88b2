// Waits until the broker answers a metadata request, or exits 1 after the deadline.
import { Kafka, logLevel } from 'kafkajs';

const [broker = '127.0.0.1:9092', deadlineArg = '60000'] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineArg);
const kafka = new Kafka({ clientId: 'nightjar-wait', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 } });

while (Date.now() < deadline) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    process.stderr.write(`[infra] kafka answers: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)\n`);
    process.exit(0);
  } catch {
    await admin.disconnect().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
process.stderr.write(`[infra] kafka at ${broker} did not answer within ${deadlineArg} ms\n`);
process.exit(1);
