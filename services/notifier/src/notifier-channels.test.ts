import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { Registry } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import type { EventBus } from '@nightjar/bus';
import { createKafkaBus } from '@nightjar/bus/kafka';
import { testAlert } from '@nightjar/detections/testing';
import { systemClock } from '@nightjar/core';
import { encodeEvent, type Alert } from '@nightjar/events';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import { createMemoryState } from '@nightjar/state/memory';
import { kafkaBrokers, uniqueName, waitFor } from '@nightjar/testkit';
import { createChannelFactory, type ChannelFactory } from './channel-factory.ts';
import { verifyWebhookSignature } from './channels/webhook.ts';
import { parseNotifications } from './notifications-file.ts';
import { Notifier } from './notifier.ts';

const SIGNING_SECRET = 'webhook-signing-secret-0123456789';

let simulator: RunningSimulator;
let bus: EventBus;
let channels: ChannelFactory;
let smtp: SMTPServer;
let smtpPort: number;
const mails: ParsedMail[] = [];
let hook: Server;
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ world: createWorld({ seed: 9, tenants: 1, days: 1, scenarios: 'none' }) });
  bus = createKafkaBus({ brokers: kafkaBrokers(), clientId: uniqueName('notifier-channels') });
  channels = createChannelFactory({ caCertPem: simulator.caCertPem, microsoft: { ...simulator.urls } });
  smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback(null, 'OK: queued');
        })
        .catch(callback);
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  smtpPort = (smtp.server.address() as AddressInfo).port;
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      hooks.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
});
afterAll(async () => {
  await bus.close();
  await channels.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise((resolve) => hook.close(resolve));
  await simulator.close();
});

function alert(): Alert {
  return testAlert({
    alert_id: uniqueName('forwarding'),
    msp_id: 'msp-all',
    rule_id: 'MAIL-001',
    rule_name: 'Mailbox forwarding to an external address',
    severity: 'high',
    mitre_techniques: ['T1114.003'],
    entity_type: 'mailbox',
    entity_id: 'adele.vance@contoso.example',
    summary: 'Forwarding of every message to <drop@evil.example> & "friends" was set',
    users: ['adele.vance@contoso.example'],
    ips: ['198.51.100.7'],
    countries: ['RU'],
  });
}

describe('one alert from the alerts topic to every kind of channel', () => {
  it('arrives once at Slack, Telegram, Graph mail, SMTP and a signed webhook, saying what happened', async () => {
    const tenant = simulator.context.world.tenants()[0]!;
    const prefix = uniqueName('channels');
    const topics = { alerts: `${prefix}.alerts`, deliveries: `${prefix}.deliveries`, dead: `${prefix}.dead` };
    await bus.ensureTopics(Object.values(topics).map((name) => ({ name, partitions: 1 })));
    const settings = parseNotifications(
      JSON.stringify({
        msps: [
          {
            id: 'msp-all',
            targets: {
              slack: { kind: 'slack', webhookUrl: `${simulator.urls.slack}/services/T9/B9/${prefix}` },
              telegram: {
                kind: 'telegram',
                apiUrl: simulator.urls.telegram,
                botToken: '4242:test-token',
                chatId: prefix,
              },
              mail: {
                kind: 'graph-mail',
                tenantId: tenant.id,
                clientId: tenant.credentials.clientId,
                clientSecret: tenant.credentials.clientSecret,
                from: `soc@${tenant.domain}`,
                to: ['it@fabrikam.example'],
              },
              relay: {
                kind: 'smtp',
                host: '127.0.0.1',
                port: smtpPort,
                security: 'none',
                from: 'soc@msp.example',
                to: [`${prefix}@msp.example`],
              },
              siem: {
                kind: 'webhook',
                url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/nightjar`,
                signingSecret: SIGNING_SECRET,
              },
            },
            defaultTargets: ['slack', 'telegram', 'mail', 'relay', 'siem'],
          },
        ],
      }),
      'test',
    );
    const notifier = new Notifier({
      bus,
      state: createMemoryState(),
      settings: () => settings,
      channelFor: (_msp, _name, target) => channels.create(target),
      alertsTopic: topics.alerts,
      deliveriesTopic: topics.deliveries,
      deadLetterTopic: topics.dead,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metrics: new Registry(),
      groupId: `${prefix}-notifier`,
      linkBase: 'https://nightjar.example.com',
    });
    await notifier.start();
    try {
      const event = alert();
      await bus.publish(topics.alerts, [{ ...encodeEvent({ kind: 'alert', event }), key: event.alert_id }]);
      const captured = simulator.context.captured;
      const slack = () => captured.slack.filter((message) => message.path.endsWith(prefix));
      const telegram = () =>
        captured.telegram.filter((message) => (message.body as { chat_id?: unknown }).chat_id === prefix);
      const graph = () => captured.mail.filter((message) => message.from === `soc@${tenant.domain}`);
      const relayed = () => mails.filter((mail) => JSON.stringify(mail.to).includes(prefix));
      const hooked = () => hooks.filter((entry) => entry.body.includes(event.alert_id));
      const counts = (): number[] => [slack(), telegram(), graph(), relayed(), hooked()].map((list) => list.length);
      await waitFor(
        async () => (counts().every((count) => count >= 1) ? true : undefined),
        'every channel to receive the alert',
        30_000,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; received (slack, telegram, graph, smtp, webhook): ${counts().join(', ')}`);
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(counts()).toEqual([1, 1, 1, 1, 1]);

      const slackText = JSON.stringify(slack()[0]!.body);
      expect(slackText).toContain('MAIL-001');
      expect(slackText).toContain('adele.vance@contoso.example');
      expect(slackText).toContain(`https://nightjar.example.com/v1/alerts/${event.alert_id}`);

      const telegramText = String((telegram()[0]!.body as { text: string }).text);
      expect(telegramText).toContain('&lt;drop@evil.example&gt; &amp;');
      expect(telegramText).not.toContain('<drop@evil.example>');

      const graphMessage = JSON.stringify(graph()[0]!.message);
      expect(graphMessage).toContain('it@fabrikam.example');
      expect(graphMessage).toContain('MAIL-001');

      const mail = relayed()[0]!;
      expect(mail.subject).toContain('MAIL-001');
      expect(mail.text).toContain('adele.vance@contoso.example');
      expect(mail.html).toContain('&lt;drop@evil.example&gt;');

      const delivered = hooked()[0]!;
      expect(
        verifyWebhookSignature({
          body: delivered.body,
          timestamp: String(delivered.headers['x-nightjar-timestamp']),
          signature: String(delivered.headers['x-nightjar-signature']),
          secret: SIGNING_SECRET,
          now: Date.now(),
        }),
      ).toBe(true);
      expect(JSON.parse(delivered.body)).toMatchObject({
        msp_id: 'msp-all',
        severity: 'high',
        alerts: [{ alert_id: event.alert_id, rule_id: 'MAIL-001', entity_id: 'adele.vance@contoso.example' }],
      });
    } finally {
      await notifier.stop();
    }
  }, 60_000);
});
