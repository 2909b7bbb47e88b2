import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { testAlert } from '@nightjar/detections/testing';
import { decodeEvent, encodeEvent, eventTopicSpecs, type Alert, type Delivery } from '@nightjar/events';
import { kafkaBrokers, redisUrl, uniqueName, waitFor } from '@nightjar/testkit';
import { withoutNightjarSettings } from './testing/simulated-tenants.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'nightjar.js');

/** A downstream webhook receiver that can be told to swallow the next request without answering. */
class Receiver {
  readonly bodies: { alertIds: string[]; id: string }[] = [];
  hangNext = false;
  readonly #held: ServerResponse[] = [];
  readonly server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(text) as { id: string; alerts: { alert_id: string }[] };
      this.bodies.push({ id: body.id, alertIds: body.alerts.map((alert) => alert.alert_id) });
      if (this.hangNext) {
        this.hangNext = false;
        this.#held.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });

  times(alertId: string): number {
    return this.bodies.filter((body) => body.alertIds.includes(alertId)).length;
  }

  async close(): Promise<void> {
    for (const response of this.#held) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let receiver: Receiver;
let bus: EventBus;
let env: NodeJS.ProcessEnv;
let prefix: string;

beforeAll(async () => {
  receiver = new Receiver();
  receiver.server.listen(0, '127.0.0.1');
  await once(receiver.server, 'listening');
  const port = (receiver.server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'nightjar-notifier-crash-'));
  const notificationsFile = join(dir, 'notifications.yaml');
  writeFileSync(
    notificationsFile,
    stringify({
      msps: [
        {
          id: 'msp-crash',
          targets: {
            siem: {
              kind: 'webhook',
              url: `http://127.0.0.1:${port}/hook`,
              signingSecret: 'a-signing-secret-of-32-chars-000',
            },
          },
          defaultTargets: ['siem'],
        },
      ],
    }),
  );
  prefix = `${uniqueName('ncrash')}.`;
  env = {
    ...withoutNightjarSettings(),
    NIGHTJAR_MODE: 'distributed',
    NIGHTJAR_ROLES: 'notifier',
    NIGHTJAR_STORE: 'chdb',
    NIGHTJAR_DATA_DIR: dir,
    NIGHTJAR_KAFKA_BROKERS: kafkaBrokers().join(','),
    NIGHTJAR_KAFKA_TOPIC_PREFIX: prefix,
    NIGHTJAR_KAFKA_PARTITIONS: '2',
    NIGHTJAR_REDIS_URL: redisUrl(),
    NIGHTJAR_REDIS_KEY_PREFIX: `${prefix}:`,
    NIGHTJAR_ADMIN_HOST: '127.0.0.1',
    NIGHTJAR_ADMIN_PORT: '0',
    NIGHTJAR_LOG_LEVEL: 'info',
    NIGHTJAR_NOTIFIER_FILE: notificationsFile,
  };
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('ncrash-test') });
  await bus.ensureTopics(eventTopicSpecs(prefix, 2));
});
afterAll(async () => {
  await bus.close();
  await receiver.close();
});

function notifier(): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'run'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.resume();
  return child;
}

function alert(id: string): Alert {
  return testAlert({
    alert_id: id,
    msp_id: 'msp-crash',
    rule_id: 'MAIL-001',
    rule_name: 'Mailbox forwarding to an external address',
    severity: 'high',
    mitre_techniques: ['T1114.003'],
    entity_type: 'mailbox',
    entity_id: `${id}@contoso.example`,
    summary: 'Forwarding to an outside address was set',
  });
}

async function publish(...alerts: Alert[]): Promise<void> {
  await bus.publish(
    `${prefix}alerts`,
    alerts.map((event) => ({ ...encodeEvent({ kind: 'alert', event }), key: event.alert_id })),
  );
}

async function deliveries(): Promise<Delivery[]> {
  return (await bus.readTopic(`${prefix}deliveries`)).flatMap((message) => {
    const decoded = decodeEvent(message.value);
    return decoded.kind === 'delivery' ? [decoded.event] : [];
  });
}

describe('notifier killed with SIGKILL in the middle of a delivery', () => {
  it('loses nothing on restart, repeats only the delivery in flight, and records that it did', async () => {
    const first = notifier();
    await publish(alert('before-crash'));
    await waitFor(async () => (receiver.times('before-crash') === 1 ? true : undefined), 'the first delivery', 60_000);

    receiver.hangNext = true;
    await publish(alert('in-flight'));
    await waitFor(async () => (receiver.times('in-flight') === 1 ? true : undefined), 'the hung request', 30_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    await publish(alert('while-down'));

    const second = notifier();
    try {
      await waitFor(
        async () => (receiver.times('in-flight') >= 2 && receiver.times('while-down') >= 1 ? true : undefined),
        'the restarted notifier to deliver what was pending',
        60_000,
      );
      await publish(alert('after-restart'));
      await waitFor(async () => (receiver.times('after-restart') === 1 ? true : undefined), 'a later alert', 30_000);
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }

    expect(receiver.times('before-crash')).toBe(1);
    expect(receiver.times('in-flight')).toBe(2);
    expect(receiver.times('while-down')).toBe(1);
    expect(receiver.times('after-restart')).toBe(1);
    const records = await deliveries();
    const inFlight = records.filter(
      (record) => record.alert_ids.includes('in-flight') && record.status === 'delivered',
    );
    expect(inFlight).toHaveLength(1);
    expect(inFlight[0]).toMatchObject({ repeated: true, attempt: 2, channel: 'webhook', target: 'siem' });
    const others = records.filter((record) => !record.alert_ids.includes('in-flight'));
    expect(others.every((record) => !record.repeated && record.attempt === 1)).toBe(true);
  }, 180_000);
});
