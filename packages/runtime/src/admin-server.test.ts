import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startAdminServer } from './admin-server.ts';
import { createMetricsRegistry } from './metrics.ts';
import type { ReadinessCheck } from './role.ts';

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readiness: () => ReadinessCheck[]): Promise<string> {
  const registry = createMetricsRegistry({ version: '0.0.0-test', roles: ['collector', 'sink'] });
  const admin = await startAdminServer({ host: '127.0.0.1', port: 0, registry, readiness });
  server = admin.server;
  return admin.url;
}

describe('admin server', () => {
  it('answers liveness regardless of dependencies', async () => {
    const url = await start(() => [{ name: 'kafka', ok: false }]);
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 on /readyz until every check passes, with details on request', async () => {
    let checks: ReadinessCheck[] = [{ name: 'runtime', ok: false, detail: 'starting' }];
    const url = await start(() => checks);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    const verbose = await fetch(`${url}/readyz?verbose`);
    expect(await verbose.json()).toEqual({ status: 'not ready', checks });
    checks = [{ name: 'runtime', ok: true }];
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('serves Prometheus metrics with the build info', async () => {
    const url = await start(() => []);
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toContain('nightjar_build_info{version="0.0.0-test",roles="collector,sink"} 1');
    expect(body).toContain('process_cpu_user_seconds_total');
  });
});
