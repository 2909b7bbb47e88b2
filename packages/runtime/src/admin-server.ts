import { fastify, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ReadinessCheck } from './role.ts';

export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** Every started role's checks plus the runtime's own (not shutting down). */
  readonly readiness: () => readonly ReadinessCheck[];
}

/**
 * Liveness, readiness and metrics on their own port, apart from the query
 * API, so probes and scrapes work for every role.
 * `/healthz` never checks dependencies: a liveness probe that checks Kafka
 * turns a broker blip into a restart storm.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<{ server: FastifyInstance; url: string }> {
  const server = fastify({ logger: false });
  const alive = async (): Promise<{ status: string }> => ({ status: 'ok' });
  server.get('/healthz', alive);
  server.get('/livez', alive);
  server.get<{ Querystring: { verbose?: string } }>('/readyz', async (request, reply) => {
    const checks = options.readiness();
    const ready = checks.every((check) => check.ok);
    void reply.code(ready ? 200 : 503);
    return request.query.verbose === undefined
      ? { status: ready ? 'ready' : 'not ready' }
      : { status: ready ? 'ready' : 'not ready', checks };
  });
  server.get('/metrics', async (_request, reply) => {
    void reply.header('content-type', options.registry.contentType);
    return options.registry.metrics();
  });
  const url = await server.listen({ host: options.host, port: options.port });
  return { server, url };
}
