import { Secret } from '@nightjar/core';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type Channel } from './channel.ts';
import { alertView, HOSTILE_SUMMARY, manyAlerts, notificationOf } from './fixtures.ts';
import { simAdmin, type SimAdmin } from './sim-admin.ts';
import { createTelegramChannel, TELEGRAM_MAX_TEXT } from './telegram.ts';

interface CapturedTelegram {
  token: string;
  body: { chat_id: string; text: string; parse_mode: string; link_preview_options: { is_disabled: boolean } };
}

const TOKEN = '7311:AAHsecretBotTokenValue';
let sim: RunningSimulator;
let admin: SimAdmin;
let dispatcher: Agent;

beforeAll(async () => {
  sim = await startSimulator({ world: createWorld({ seed: 1, tenants: 1, days: 1, scenarios: 'none' }) });
  admin = simAdmin(sim);
  dispatcher = new Agent({ connect: { ca: sim.caCertPem } });
});
afterEach(async () => admin.clearFaults());
afterAll(async () => {
  await dispatcher.close();
  await admin.close();
  await sim.close();
});

function telegramChannel(chatId: string, apiUrl = sim.urls.telegram): Channel {
  return createTelegramChannel({ apiUrl, botToken: new Secret(TOKEN), chatId, dispatcher });
}

async function capturedFor(chatId: string): Promise<CapturedTelegram[]> {
  return (await admin.captured<CapturedTelegram>('telegram')).filter((message) => message.body.chat_id === chatId);
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect(delivery.message).not.toContain(TOKEN);
  expect(delivery.response ?? '').not.toContain(TOKEN);
  return delivery;
}

describe('Telegram channel', () => {
  it('sends one HTML message with every value escaped and the link', async () => {
    const alert = alertView({ summary: HOSTILE_SUMMARY, link: 'https://nightjar.example/api/alerts/1?a=1&b="2"' });
    const receipt = await telegramChannel('-1001').send(notificationOf([alert]));
    expect(receipt.status).toBe(200);
    expect(receipt.response).toMatch(/^message_id \d+$/);
    expect(receipt.response).not.toContain(TOKEN);

    const messages = await capturedFor('-1001');
    expect(messages).toHaveLength(1);
    const { body, token } = messages[0]!;
    expect(token).toBe(TOKEN);
    expect(body.parse_mode).toBe('HTML');
    expect(body.link_preview_options).toEqual({ is_disabled: true });
    expect(body.text).toContain('<b>HIGH AUTH-005 Password spray</b>');
    expect(body.text).toContain(
      'Sign-ins from 14 IPs &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;!channel&gt;',
    );
    expect(body.text).toContain('<b>Tenant:</b> 8f2b1c3d-0000-4000-8000-00000000c0de');
    expect(body.text).toContain('<b>Rule:</b> <code>AUTH-005</code> Password spray');
    expect(body.text).toContain('<b>Entity:</b> user alice@contoso.example');
    expect(body.text).toContain('<a href="https://nightjar.example/api/alerts/1?a=1&amp;b=%222%22">Open alert</a>');
    expect(body.text).not.toContain('<script>');
  });

  it('keeps a group of 1,000 alerts within 4,096 characters, ending with "and N more"', async () => {
    await telegramChannel('-1002').send(notificationOf(manyAlerts(1000)));
    const [message] = await capturedFor('-1002');
    const text = message!.body.text;
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    const listed = text.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(10);
    expect(text.endsWith(`and ${1000 - listed} more`)).toBe(true);
    expect(text.split('\n').find((line) => line.startsWith('• '))).toMatch(/^• <b>CRITICAL<\/b>/);
  });

  it('ends a cut group with a link to the list of every alert when the API is known', async () => {
    const listLink =
      'https://nightjar.example/v1/alerts?from=2025-05-01T10%3A00%3A00.000Z&to=2025-05-01T10%3A09%3A30.001Z&tenant=t&rule=R';
    await telegramChannel('-1004').send(notificationOf(manyAlerts(1000), { listLink }));
    const [message] = await capturedFor('-1004');
    const text = message!.body.text;
    expect(text.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT);
    const listed = text.split('\n').filter((line) => line.startsWith('• ')).length;
    expect(
      text.endsWith(
        `and ${1000 - listed} more: <a href="${listLink.replaceAll('&', '&amp;')}">all 1000 in Nightjar</a>`,
      ),
    ).toBe(true);
  });

  it('lists a small group in full', async () => {
    const alerts = [alertView(), alertView({ severity: 'low', ruleId: 'APP-001', summary: 'a & b' })];
    await telegramChannel('-1003').send(notificationOf(alerts));
    const [message] = await capturedFor('-1003');
    const lines = message!.body.text.split('\n').filter((line) => line.startsWith('• '));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('APP-001 Password spray · user alice@contoso.example');
    expect(lines[1]).toContain('— a &amp; b');
    expect(message!.body.text).not.toContain('more');
  });

  it('turns 429 into a retryable error with retry_after', async () => {
    await admin.fault({ kind: '429', endpoint: 'telegram', count: 1, retryAfterSeconds: 9 });
    const error = await failure(telegramChannel('-1004').send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 9000, status: 429 });
  });

  it('turns a bad request into a permanent error', async () => {
    const error = await failure(telegramChannel('').send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: true, status: 400 });
    expect(error.message).toContain('Bad Request');
  });

  it('turns a wrong API path into a permanent error without the token', async () => {
    const error = await failure(
      telegramChannel('-1005', `${sim.urls.authority}/nowhere`).send(notificationOf([alertView()])),
    );
    expect(error).toMatchObject({ permanent: true, status: 404 });
  });

  it('turns an unreachable API into a retryable error without the token', async () => {
    const error = await failure(telegramChannel('-1006', 'https://127.0.0.1:1').send(notificationOf([alertView()])));
    expect(error.permanent).toBe(false);
  });
});
