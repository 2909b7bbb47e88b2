import { Secret } from '@nightjar/core';
import { createWorld, startSimulator, type RunningSimulator } from '@nightjar/simulator';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type Channel } from './channel.ts';
import { alertView, HOSTILE_SUMMARY, manyAlerts, notificationOf } from './fixtures.ts';
import { simAdmin, type SimAdmin } from './sim-admin.ts';
import { createSlackChannel } from './slack.ts';

interface Block {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: string | { text: string }; url?: string }[];
}
interface CapturedSlack {
  path: string;
  body: { text: string; blocks: Block[] };
}

const SECRET_PART = 'hK3xWebhookSecret9Q';
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

function slackChannel(path: string): Channel {
  return createSlackChannel({ webhookUrl: new Secret(`${sim.urls.slack}/services/${path}`), dispatcher });
}

async function capturedAt(path: string): Promise<CapturedSlack[]> {
  return (await admin.captured<CapturedSlack>('slack')).filter((message) => message.path === path);
}

const allText = (blocks: readonly Block[]): string => JSON.stringify(blocks);

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('Slack channel', () => {
  it('posts one Block Kit message with the alert facts, escaped, and a link', async () => {
    const path = `T000/B000/${SECRET_PART}single`;
    const alert = alertView({ summary: HOSTILE_SUMMARY });
    const receipt = await slackChannel(path).send(notificationOf([alert]));
    expect(receipt).toEqual({ status: 200, response: 'ok' });

    const messages = await capturedAt(path);
    expect(messages).toHaveLength(1);
    const { text, blocks } = messages[0]!.body;
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(blocks[0]!.text!.text).toContain('HIGH AUTH-005 Password spray');
    const body = allText(blocks);
    for (const fact of ['HIGH', alert.tenantId!, 'AUTH-005 Password spray', 'user alice@contoso.example']) {
      expect(body).toContain(fact);
    }
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\"quoted\\" &lt;!channel&gt;');
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('"url":"https://nightjar.example/api/alerts/0001"');
    expect(text).toContain('HIGH AUTH-005 Password spray');
    expect(text).not.toContain('<script>');
  });

  it('lists a group of 1,000 alerts one line each within 50 blocks and 3,000 characters a section', async () => {
    const path = 'T000/B000/group';
    const alerts = manyAlerts(1000);
    await slackChannel(path).send(notificationOf(alerts));
    const [message] = await capturedAt(path);
    const { blocks } = message!.body;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const sections = blocks.filter((block) => block.type === 'section');
    for (const section of sections) expect(section.text!.text.length).toBeLessThanOrEqual(3000);
    const lines = sections.flatMap((section) => section.text!.text.split('\n'));
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toMatch(/^\*CRITICAL\*/);
    expect(lines.at(-1)).toMatch(/^\*INFO\*/);
    expect(allText(blocks)).not.toContain('more');
  });

  it('cuts the list with "and N more" only when even the most compact lines do not fit', async () => {
    const path = 'T000/B000/cut';
    const alerts = manyAlerts(1000).map((alert, index) => ({ ...alert, entityId: `${'x'.repeat(70)}${index}` }));
    await slackChannel(path).send(notificationOf(alerts));
    const [message] = await capturedAt(path);
    const { blocks } = message!.body;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const lines = blocks.filter((block) => block.type === 'section').flatMap((block) => block.text!.text.split('\n'));
    const last = blocks.at(-1)!;
    expect(last.type).toBe('context');
    expect(last.elements![0]!.text).toBe(`and ${1000 - lines.length} more`);
    expect(lines.length).toBeGreaterThan(500);
  });

  it('ends a cut list with a link to every alert when the API is known', async () => {
    const path = 'T000/B000/cut-linked';
    const alerts = manyAlerts(1000).map((alert, index) => ({ ...alert, entityId: `${'x'.repeat(70)}${index}` }));
    const listLink =
      'https://nightjar.example/v1/alerts?from=2025-05-01T10%3A00%3A00.000Z&to=2025-05-01T10%3A09%3A30.001Z';
    await slackChannel(path).send(notificationOf(alerts, { listLink }));
    const [message] = await capturedAt(path);
    const { blocks } = message!.body;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const lines = blocks.filter((block) => block.type === 'section').flatMap((block) => block.text!.text.split('\n'));
    expect(blocks.at(-1)!.elements![0]!.text).toBe(
      `and ${1000 - lines.length} more: <${listLink.replace('&', '&amp;')}|all 1000 in Nightjar>`,
    );
  });

  it('lists a small group in full detail', async () => {
    const path = 'T000/B000/small';
    const alerts = [alertView(), alertView({ severity: 'critical', ruleId: 'MAIL-002', ruleName: 'Forwarding rule' })];
    await slackChannel(path).send(notificationOf(alerts, { update: true }));
    const [message] = await capturedAt(path);
    const lines = message!.body.blocks.filter((block) => block.type === 'section').map((block) => block.text!.text);
    expect(lines.join('\n').split('\n')).toEqual([
      expect.stringMatching(
        /^\*CRITICAL\* · `MAIL-002 Forwarding rule` · user alice@contoso\.example · tenant .+ — 23 failed sign-ins .+ <https:\/\/nightjar\.example\/api\/alerts\/0001\|open>$/,
      ),
      expect.stringMatching(/^\*HIGH\* · `AUTH-005 Password spray`/),
    ]);
    expect(allText(message!.body.blocks)).toContain('Update: 2 alerts: 1 critical, 1 high');
  });

  it('turns 429 into a retryable error that carries Retry-After', async () => {
    await admin.fault({ kind: '429', endpoint: 'slack', count: 1, retryAfterSeconds: 7 });
    const error = await failure(slackChannel(`T000/B000/${SECRET_PART}`).send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 7000, status: 429 });
    expect(error.message).not.toContain(SECRET_PART);
  });

  it('turns 503 into a retryable error', async () => {
    await admin.fault({ kind: '503', endpoint: 'slack', count: 1 });
    const error = await failure(slackChannel('T000/B000/x').send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: false, status: 503 });
  });

  it('turns a webhook that no longer exists into a permanent error without the URL', async () => {
    const channel = createSlackChannel({
      webhookUrl: new Secret(`${sim.urls.slack}/removed/${SECRET_PART}`),
      dispatcher,
    });
    const error = await failure(channel.send(notificationOf([alertView()])));
    expect(error).toMatchObject({ permanent: true, status: 404 });
    expect(error.message).not.toContain(SECRET_PART);
  });

  it('turns an unreachable host into a retryable error without the URL', async () => {
    const channel = createSlackChannel({
      webhookUrl: new Secret(`https://127.0.0.1:1/services/T000/B000/${SECRET_PART}`),
      dispatcher,
    });
    const error = await failure(channel.send(notificationOf([alertView()])));
    expect(error.permanent).toBe(false);
    expect(error.message).not.toContain(SECRET_PART);
  });
});
