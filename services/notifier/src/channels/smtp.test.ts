import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Secret } from '@nightjar/core';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from './channel.ts';
import { alertView, HOSTILE_SUMMARY, manyAlerts, notificationOf } from './fixtures.ts';
import { createSmtpChannel, type SmtpChannelOptions } from './smtp.ts';

const USER = 'nightjar';
const PASSWORD = 'smtp-Pa55word!';

interface Certificate {
  readonly key: string;
  readonly cert: string;
}

interface RunningSmtp {
  readonly port: number;
  readonly received: ParsedMail[];
  readonly envelopes: string[][];
  close(): Promise<void>;
}

let directory: string;
let certificate: Certificate;
const servers: RunningSmtp[] = [];

/** A self-signed certificate for localhost and 127.0.0.1, trusted by the client as its own CA. */
async function selfSignedCertificate(): Promise<Certificate> {
  const keyPath = join(directory, 'key.pem');
  const certPath = join(directory, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8') };
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function startSmtp(options: Partial<SMTPServerOptions>): Promise<RunningSmtp> {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    ...certificate,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(smtpError('Authentication credentials invalid', 535));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          envelopes.push(session.envelope.rcptTo.map((rcpt) => rcpt.address));
          callback(null, 'OK: queued as 4XyZ');
        })
        .catch((error: unknown) => callback(error as Error));
    },
    ...options,
  });
  const listening = await new Promise<AddressInfo>((resolve) => {
    const net = server.listen(0, '127.0.0.1', () => resolve(net.address() as AddressInfo));
  });
  const running = {
    port: listening.port,
    received,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(running);
  return running;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'nightjar-smtp-'));
  certificate = await selfSignedCertificate();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await rm(directory, { recursive: true, force: true });
});

function smtpChannel(port: number, overrides: Partial<SmtpChannelOptions> = {}) {
  return createSmtpChannel({
    host: '127.0.0.1',
    port,
    security: 'starttls',
    username: USER,
    password: new Secret(PASSWORD),
    from: 'Nightjar <nightjar@msp.example>',
    to: ['soc@msp.example', 'oncall@msp.example'],
    tls: { ca: certificate.cert },
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect(delivery.message).not.toContain(PASSWORD);
  expect(delivery.response ?? '').not.toContain(PASSWORD);
  return delivery;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  [field ?? []].flat().flatMap((object) => object.value.map((entry) => entry.address ?? ''));

describe('SMTP channel', () => {
  it('sends over STARTTLS with authentication: subject, text and HTML parts, header and recipients', async () => {
    const server = await startSmtp({ secure: false });
    const notification = notificationOf([alertView({ summary: HOSTILE_SUMMARY })]);
    const receipt = await smtpChannel(server.port).send(notification);
    expect(receipt).toEqual({ status: 250, response: '250 OK: queued as 4XyZ' });

    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.subject).toBe('[Nightjar] HIGH AUTH-005 Password spray');
    expect(mail.headers.get('x-nightjar-notification')).toBe(notification.id);
    expect(mail.messageId).toBe(`<${notification.id}.nightjar@msp.example>`);
    expect(addresses(mail.to)).toEqual(['soc@msp.example', 'oncall@msp.example']);
    expect(addresses(mail.from)).toEqual(['nightjar@msp.example']);
    expect(server.envelopes[0]).toEqual(['soc@msp.example', 'oncall@msp.example']);
    expect(mail.text).toContain(HOSTILE_SUMMARY);
    expect(mail.text).toContain('Entity:     user alice@contoso.example');
    expect(mail.text).toContain('First seen: 2025-05-01T10:00:00Z');
    expect(mail.text).toContain('Link:       https://nightjar.example/api/alerts/0001');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<a href="https://nightjar.example/api/alerts/0001">');
  });

  it('sends over implicit TLS, the same Message-ID for a resend of the same notification', async () => {
    const server = await startSmtp({ secure: true });
    const notification = notificationOf(manyAlerts(30));
    const channel = smtpChannel(server.port, { security: 'tls' });
    await channel.send(notification);
    await channel.send(notification);
    await channel.close();
    expect(server.received).toHaveLength(2);
    expect(server.received[0]!.messageId).toBe(server.received[1]!.messageId);
    expect(server.received[0]!.subject).toBe('[Nightjar] CRITICAL 30 alerts for Contoso MSP');
    expect(server.received[0]!.text).toContain('30 alerts: 6 critical, 6 high, 6 medium, 6 low, 6 info');
    expect(server.received[0]!.text).toContain('Details of the first 20 alerts only; all 30 are listed above.');
  });

  it('refuses to send in clear when STARTTLS is required but not offered', async () => {
    const server = await startSmtp({ secure: false, disabledCommands: ['STARTTLS'] });
    const error = await failure(smtpChannel(server.port).send(notificationOf([alertView()])));
    expect(server.received).toHaveLength(0);
    expect(error).toMatchObject({ permanent: true, status: 500 });
    expect(error.message).toContain('STARTTLS');
  });

  it('turns 451 into a retryable error', async () => {
    const server = await startSmtp({
      secure: false,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback(smtpError('Requested action aborted: local error', 451)));
      },
    });
    const error = await failure(smtpChannel(server.port).send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, status: 451 });
  });

  it('turns 550 on RCPT TO into a permanent error', async () => {
    const server = await startSmtp({
      secure: false,
      onRcptTo(_address, _session, callback) {
        callback(smtpError('Mailbox unavailable', 550));
      },
    });
    const error = await failure(smtpChannel(server.port).send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: true, status: 550 });
  });

  it('turns a wrong password into a permanent error without the password', async () => {
    const server = await startSmtp({ secure: false });
    const error = await failure(
      smtpChannel(server.port, { password: new Secret('not-the-password') }).send(notificationOf([alertView()])),
    );
    expect(error).toMatchObject({ permanent: true, status: 535 });
    expect(error.message).not.toContain('not-the-password');
  });

  it('turns a server that is not there into a retryable error', async () => {
    const server = await startSmtp({ secure: false });
    await server.close();
    const error = await failure(smtpChannel(server.port).send(notificationOf([alertView()])));
    expect(error.permanent).toBe(false);
  });
});
