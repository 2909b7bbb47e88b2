import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@nightjar/core';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from './channel.ts';
import { alertView, notificationOf } from './fixtures.ts';
import { createWebhookChannel, verifyWebhookSignature } from './webhook.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const SECRET = 'whsec_0123456789abcdef';
const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);
let server: Server;
let url: string;
let dispatcher: Agent;
let received: Received[];
let answer: { status: number; headers?: Record<string, string>; body?: string };

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/nightjar?token=receiverToken42`;
  dispatcher = new Agent();
});
beforeEach(() => {
  received = [];
  answer = { status: 204 };
});
afterAll(async () => {
  await dispatcher.close();
  await new Promise((resolve) => server.close(resolve));
});

const channel = () => createWebhookChannel({ url, signingSecret: new Secret(SECRET), dispatcher, clock: () => NOW });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect(delivery.message).not.toContain('receiverToken42');
  return delivery;
}

describe('webhook channel', () => {
  it('posts the snake_case notification, signed over timestamp and body', async () => {
    const alert = alertView();
    const notification = notificationOf([alert]);
    answer = { status: 200, body: '{"received":true}' };
    const receipt = await channel().send(notification);
    expect(receipt).toEqual({ status: 200, response: '{"received":true}' });

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-nightjar-id']).toBe(notification.id);
    expect(headers['x-nightjar-timestamp']).toBe(String(NOW / 1000));
    expect(headers['x-nightjar-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(JSON.parse(body)).toEqual({
      id: notification.id,
      msp_id: 'msp-contoso',
      severity: 'high',
      title: notification.title,
      update: false,
      alerts: [
        expect.objectContaining({
          alert_id: alert.alertId,
          tenant_id: alert.tenantId,
          rule_id: 'AUTH-005',
          rule_name: 'Password spray',
          entity_type: 'user',
          entity_id: 'alice@contoso.example',
          mitre_techniques: ['T1110.003'],
          first_seen: alert.firstSeen,
          event_count: 24,
          link: alert.link,
        }),
      ],
    });

    const check = {
      body,
      timestamp: headers['x-nightjar-timestamp'] as string,
      signature: headers['x-nightjar-signature'] as string,
      secret: SECRET,
      now: NOW + 10_000,
    };
    expect(verifyWebhookSignature(check)).toBe(true);
    expect(verifyWebhookSignature({ ...check, secret: new Secret(SECRET) })).toBe(true);
    expect(verifyWebhookSignature({ ...check, body: body.replace('AUTH-005', 'AUTH-006') })).toBe(false);
    expect(verifyWebhookSignature({ ...check, secret: 'another secret' })).toBe(false);
    expect(verifyWebhookSignature({ ...check, timestamp: String(NOW / 1000 + 1) })).toBe(false);
    expect(verifyWebhookSignature({ ...check, now: NOW + 301_000 })).toBe(false);
    expect(verifyWebhookSignature({ ...check, now: NOW + 301_000, toleranceSeconds: 600 })).toBe(true);
    expect(verifyWebhookSignature({ ...check, signature: `v1=${'0'.repeat(64)}, ${check.signature}` })).toBe(true);
    expect(verifyWebhookSignature({ ...check, signature: 'v1=abc' })).toBe(false);
  });

  it('turns 503 into a retryable error that honours Retry-After', async () => {
    answer = { status: 503, headers: { 'retry-after': '30' }, body: 'maintenance' };
    const error = await failure(channel().send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 30_000, status: 503, response: 'maintenance' });
  });

  it('retries 408 and 429, and gives up on other 4xx', async () => {
    answer = { status: 429 };
    expect(await failure(channel().send(notificationOf([alertView()])))).toMatchObject({ permanent: false });
    answer = { status: 408 };
    expect(await failure(channel().send(notificationOf([alertView()])))).toMatchObject({ permanent: false });
    answer = { status: 401, body: 'bad signature' };
    expect(await failure(channel().send(notificationOf([alertView()])))).toMatchObject({
      permanent: true,
      status: 401,
    });
  });

  it('turns a receiver that does not answer into a retryable error', async () => {
    const closed = createWebhookChannel({
      url: 'http://127.0.0.1:1/hooks?token=receiverToken42',
      signingSecret: new Secret(SECRET),
      dispatcher,
    });
    expect((await failure(closed.send(notificationOf([alertView()])))).permanent).toBe(false);
  });
});
