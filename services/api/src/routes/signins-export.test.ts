import { createHash } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { DependencyUnavailableError } from '@nightjar/core';
import type { HistoryStore, QueryParams } from '@nightjar/store';
import { buildApi } from '../app.ts';

const KEY_ID = '0123456789abcdef';
const SECRET = 'A'.repeat(43);
const KEY = `nj_${KEY_ID}_${SECRET}`;
const PAGE = 10_000;
const PADDING = 'x'.repeat(1_000);

/**
 * A history of `total` sign-ins that counts the pages an export reads and can fail at one of them:
 * enough store for the export, with none of chDB's cost at these sizes.
 */
function history(total: number, failAtPage?: number) {
  const state = { pagesRead: 0 };
  const store: Partial<HistoryStore> = {
    kind: 'chdb',
    query: <Row>(sql: string, params: QueryParams = {}): Promise<Row[]> => {
      if (sql.includes('FROM api_keys')) {
        const key = {
          key_id: KEY_ID,
          msp_id: 'msp-export',
          role: 'analyst',
          name: 'export',
          secret_sha256: createHash('sha256').update(SECRET).digest('hex'),
          created: '2026-12-01 00:00:00.000',
          revoked: 0,
        };
        return Promise.resolve([key as Row]);
      }
      const page = state.pagesRead++;
      if (page === failAtPage) return Promise.reject(new DependencyUnavailableError('chdb', 'the store went away'));
      const from = page * PAGE;
      const count = Math.max(0, Math.min(Number(params['limit']), total - from));
      const rows = Array.from({ length: count }, (_, index) => signInRow(from + index));
      return Promise.resolve(rows as Row[]);
    },
  };
  return { store: store as HistoryStore, state };
}

function signInRow(index: number) {
  const time = new Date(Date.UTC(2026, 11, 1) - index * 1_000).toISOString().replace('T', ' ').replace('Z', '');
  return {
    time,
    event_id: `sign-in-${index}`,
    tenant_id: 'tenant-1',
    user_name: `user-${index}@${PADDING}.example`,
    status: 'success',
    status_code: 0,
  };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(store: HistoryStore): Promise<string> {
  app = await buildApi({ store, log: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

function download(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${KEY}` } }, resolve).on('error', reject);
  });
}

/** Reads a response to its end; rejects when the transfer is cut short. */
function body(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString()));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('aborted')));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sign-in export', () => {
  it('streams every page, reading the next one only as fast as the client takes them', async () => {
    const pages = 4;
    const { store, state } = history(pages * PAGE);
    const response = await download(`${await serve(store)}/v1/signins/export?max=1000000`);
    expect(response.statusCode).toBe(200);
    response.pause();
    await sleep(500);
    // Ten megabytes a page, more than the sockets hold: a paused client holds the export within the
    // first two pages. Writing without waiting reads every page at once, and holds them all in memory.
    expect(state.pagesRead).toBeLessThanOrEqual(2);
    response.resume();
    const lines = (await body(response)).trim().split('\n');
    expect(lines).toHaveLength(pages * PAGE);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event_id: `sign-in-${pages * PAGE - 1}` });
  }, 60_000);

  it('aborts the transfer when the store fails midway, so a truncated file never looks complete', async () => {
    const { store } = history(3 * PAGE, 1);
    const response = await download(`${await serve(store)}/v1/signins/export?format=csv`);
    expect(response.statusCode).toBe(200);
    await expect(body(response)).rejects.toThrow();
  });

  it('answers in the usual error shape when the store fails before anything is sent', async () => {
    const { store } = history(3 * PAGE, 0);
    app = await buildApi({ store, log: pino({ level: 'silent' }) });
    const response = await app.inject({
      method: 'GET',
      url: '/v1/signins/export',
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: { code: 'unavailable', message: expect.any(String) as string } });
  });
});
