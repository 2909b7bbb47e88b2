import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createSealer, notificationSettingsContext, Secret } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';
import { ApiKeys } from '../api-keys.ts';
import { buildApi } from '../app.ts';
import { historyOfTwoMsps, type MspFixture } from '../testing/history.ts';

const sealer = createSealer(new Secret(randomBytes(32).toString('base64')));
const SOC_HOOK = 'https://hooks.slack.com/services/T1/B1/soc-secret-path';
const ONCALL_HOOK = 'https://hooks.slack.com/services/T1/B2/oncall-secret-path';

let store: HistoryStore;
let app: FastifyInstance;
let a: MspFixture;
let b: MspFixture;
let adminA: string;
let adminB: string;

beforeAll(async () => {
  ({ store, a, b } = await historyOfTwoMsps());
  app = await buildApi({ store, log: pino({ level: 'silent' }), sealer });
  const keys = new ApiKeys(store, undefined);
  adminA = (await keys.issue(a.mspId, 'admin', 'admin a')).key;
  adminB = (await keys.issue(b.mspId, 'admin', 'admin b')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function call(key: string, method: 'GET' | 'PUT', body?: object) {
  const response = await app.inject({
    method,
    url: '/v1/settings/notifications',
    headers: { authorization: `Bearer ${key}` },
    ...(body ? { payload: body } : {}),
  });
  return { status: response.statusCode, json: () => response.json<Record<string, unknown>>() };
}

/** The document as stored, unsealed. */
async function stored(mspId: string): Promise<Record<string, unknown>> {
  const [row] = await store.query<{ document: string }>(
    "SELECT document FROM msp_settings FINAL WHERE msp_id = {msp:String} AND kind = 'notification'",
    { msp: mspId },
  );
  return JSON.parse(sealer.open(row!.document, notificationSettingsContext(mspId))) as Record<string, unknown>;
}

describe('notification settings sent back as read', () => {
  it('keeps each stored secret the document read back hides, and stores new ones as sent', async () => {
    const document = {
      targets: { soc: { kind: 'slack', webhookUrl: SOC_HOOK } },
      routes: [{ name: 'all high', match: { minSeverity: 'high' }, targets: ['soc'] }],
    };
    expect((await call(adminA, 'PUT', document)).status).toBe(200);
    const read = (await call(adminA, 'GET')).json() as typeof document;
    expect(read.targets.soc.webhookUrl).toBe('***');

    const edited = {
      ...read,
      targets: { ...read.targets, oncall: { kind: 'slack', webhookUrl: ONCALL_HOOK } },
      routes: [{ ...read.routes[0]!, targets: ['soc', 'oncall'] }],
    };
    const saved = await call(adminA, 'PUT', edited);
    expect(saved.status).toBe(200);
    expect(saved.json()).toMatchObject({ targets: { soc: { webhookUrl: '***' }, oncall: { webhookUrl: '***' } } });
    expect(await stored(a.mspId)).toMatchObject({
      targets: { soc: { webhookUrl: SOC_HOOK }, oncall: { webhookUrl: ONCALL_HOOK } },
      routes: [{ targets: ['soc', 'oncall'] }],
    });
  });

  it('refuses asterisks where no secret is stored, naming the field, and stores nothing', async () => {
    const before = await stored(a.mspId);
    const renamed = await call(adminA, 'PUT', {
      targets: { security: { kind: 'slack', webhookUrl: '***' } },
      routes: [{ name: 'all', targets: ['security'] }],
    });
    expect(renamed.status).toBe(400);
    expect(renamed.json()['error']).toMatchObject({
      code: 'invalid_request',
      fields: [
        { field: 'body.targets.security.webhookUrl', message: expect.stringContaining('none is stored') as string },
      ],
    });
    expect(await stored(a.mspId)).toEqual(before);

    // Another MSP's secrets are never a fallback.
    const fresh = await call(adminB, 'PUT', {
      targets: { soc: { kind: 'slack', webhookUrl: '***' } },
      routes: [{ name: 'all', targets: ['soc'] }],
    });
    expect(fresh.status).toBe(400);
    expect(fresh.json()['error']).toMatchObject({ fields: [{ field: 'body.targets.soc.webhookUrl' }] });
  });
});
