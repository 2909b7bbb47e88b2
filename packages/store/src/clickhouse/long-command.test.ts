import { createServer, type Server, type Socket } from 'node:net';
import { DependencyUnavailableError } from '@nightjar/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouseStore } from './clickhouse-store.ts';

const REQUEST_TIMEOUT_MS = 600;
/** How long the statement runs on the server: several request timeouts. */
const STATEMENT_MS = 2_000;

interface SeenRequest {
  readonly settings: URLSearchParams;
  readonly sql: string;
}

/**
 * Answers every statement as a ClickHouse server does over HTTP after working
 * on it for STATEMENT_MS: with send_progress_in_http_headers=1 it writes the
 * status line at once and an X-ClickHouse-Progress header every
 * http_headers_progress_interval_ms, the summary at the end; without it,
 * nothing until the statement is done.
 */
function clickhouseLikeServer(seen: SeenRequest[]): Server {
  return createServer((socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    let handled = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (handled || headEnd < 0) return;
      const head = received.subarray(0, headEnd).toString('latin1');
      const body = requestBody(head, received.subarray(headEnd + 4));
      if (body === undefined) return;
      handled = true;
      const target = head.split('\r\n')[0]!.split(' ')[1]!;
      const settings = new URL(target, 'http://clickhouse').searchParams;
      seen.push({ settings, sql: body });
      respond(socket, settings);
    });
  });
}

/** The request body once all of it has arrived (Content-Length or chunked), else undefined. */
function requestBody(head: string, rest: Buffer): string | undefined {
  if (!/transfer-encoding:\s*chunked/i.test(head)) {
    const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    return rest.length < length ? undefined : rest.subarray(0, length).toString('utf8');
  }
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(rest.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    if (rest.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function respond(socket: Socket, settings: URLSearchParams): void {
  const started = Date.now();
  const progress = settings.get('send_progress_in_http_headers') === '1';
  const every = Number(settings.get('http_headers_progress_interval_ms') ?? 100);
  const counters = (rows: number): string =>
    JSON.stringify({ read_rows: String(rows), read_bytes: String(rows * 64), written_rows: String(rows) });
  let statusSent = false;
  const status = (): string => {
    if (statusSent) return '';
    statusSent = true;
    return 'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\nX-ClickHouse-Format: TabSeparated\r\n';
  };
  const timer = progress
    ? setInterval(() => {
        if (!socket.destroyed) socket.write(`${status()}X-ClickHouse-Progress: ${counters(Date.now() - started)}\r\n`);
      }, every)
    : undefined;
  setTimeout(() => {
    clearInterval(timer);
    if (socket.destroyed) return;
    socket.write(
      `${status()}X-ClickHouse-Summary: ${counters(STATEMENT_MS)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    socket.end();
  }, STATEMENT_MS);
  socket.on('close', () => clearInterval(timer));
}

const seen: SeenRequest[] = [];
const sockets = new Set<Socket>();
let server: Server;
let url: string;

beforeAll(async () => {
  server = clickhouseLikeServer(seen);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('a command that outlasts the request timeout (a migration backfill on a large history)', () => {
  it('completes when marked long-running: the server reports progress and the connection never looks idle', async () => {
    const store = createClickHouseStore({ url, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    try {
      const started = Date.now();
      await store.command('INSERT INTO signins_by_user SELECT * FROM signins', {}, { longRunning: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(STATEMENT_MS - 50);
      const request = seen.find((one) => one.sql.startsWith('INSERT INTO signins_by_user'));
      expect(request?.settings.get('send_progress_in_http_headers')).toBe('1');
      expect(Number(request?.settings.get('http_headers_progress_interval_ms'))).toBeLessThan(REQUEST_TIMEOUT_MS);
    } finally {
      await store.close();
    }
  });

  it('times out as before without the mark, with an error that says the server is not answering', async () => {
    const store = createClickHouseStore({ url, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    try {
      const failure = store.command('INSERT INTO signins_by_user SELECT * FROM signins');
      await expect(failure).rejects.toBeInstanceOf(DependencyUnavailableError);
      await expect(failure).rejects.toThrow(/Timeout/i);
    } finally {
      await store.close();
    }
  });
});
