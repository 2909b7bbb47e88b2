import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { signIn } from '@nightjar/detections/testing';
import { MIGRATIONS_DIR, toRow } from '@nightjar/sink';
import { loadMigrations, migrate, type HistoryStore } from '@nightjar/store';
import { createChdbStore } from '@nightjar/store/chdb';
import { ApiKeys } from '../api-keys.ts';
import { buildApi } from '../app.ts';

const TENANTS = 10_001;
let store: HistoryStore;
let app: FastifyInstance;
let analyst: string;

beforeAll(async () => {
  store = await createChdbStore({ path: mkdtempSync(join(tmpdir(), 'nightjar-dashboard-')) });
  await migrate(store, await loadMigrations(MIGRATIONS_DIR));
  const hourAgo = Date.now() - 3_600_000;
  await store.insert(
    'signins',
    Array.from({ length: TENANTS }, (_, index) =>
      toRow(
        'sign-in',
        signIn({
          msp_id: 'msp-wide',
          tenant_id: `tenant-${String(index).padStart(5, '0')}`,
          event_id: `sign-in-${index}`,
          time: hourAgo,
          ingest_time: hourAgo,
        }),
      ),
    ),
  );
  app = await buildApi({ store, log: pino({ level: 'silent' }) });
  analyst = (await new ApiKeys(store, undefined).issue('msp-wide', 'analyst', 'analyst')).key;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function dashboard(query: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/dashboard/signins?${query}`,
    headers: { authorization: `Bearer ${analyst}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: Record<string, unknown>[]; truncated: boolean }>();
}

describe('the sign-in dashboard aggregate', () => {
  it('says so when more groups match than an answer holds', async () => {
    const wide = await dashboard('by=tenant');
    expect(wide.items).toHaveLength(10_000);
    expect(wide.truncated).toBe(true);
    expect(wide.items.at(-1)).toMatchObject({ tenant_id: 'tenant-09999' });
  });

  it('says the answer is whole when it is', async () => {
    const narrow = await dashboard('by=status');
    expect(narrow).toEqual({ items: [expect.objectContaining({ sign_ins: String(TENANTS) })], truncated: false });
  });

  it('documents the flag', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
    }>();
    const schema = JSON.stringify(document.paths['/v1/dashboard/signins']!.get.responses['200']);
    expect(schema).toContain('truncated');
  });
});
