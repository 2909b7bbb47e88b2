import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from './context.ts';
import { faultSchema } from './faults.ts';

const scenarioSchema = z
  .object({
    scenario: z.string(),
    tenantId: z.string().optional(),
    at: z.number().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The simulator's own API for tests and demos (not Microsoft's). */
export function registerAdminRoutes(app: FastifyInstance, context: SimContext): void {
  app.get('/admin/tenants', async () =>
    context.world.tenants().map((tenant) => ({
      id: tenant.id,
      domain: tenant.domain,
      clientId: tenant.credentials.clientId,
      clientSecret: tenant.credentials.clientSecret,
      licences: tenant.licences,
      features: tenant.features,
    })),
  );
  app.get('/admin/scenarios', async () => context.world.scenarioNames());
  app.post('/admin/scenarios', async (request, reply) => {
    const parsed = scenarioSchema.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
    try {
      return context.world.inject({ ...parsed.data, at: parsed.data.at ?? context.clock.now() } as Parameters<
        typeof context.world.inject
      >[0]);
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.get('/admin/clock', async () => ({ now: new Date(context.clock.now()).toISOString() }));
  app.post<{ Body: { advanceMs?: number } }>('/admin/clock', async (request, reply) => {
    const advanceMs = Number(request.body?.advanceMs);
    if (!Number.isFinite(advanceMs) || advanceMs < 0)
      return reply.code(400).send({ error: 'advanceMs must be a non-negative number' });
    return { now: new Date(context.clock.advance(advanceMs)).toISOString() };
  });
  app.get('/admin/faults', async () => context.faults.list());
  app.post('/admin/faults', async (request, reply) => {
    const parsed = faultSchema.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
    context.faults.add(parsed.data);
    return reply.code(201).send(parsed.data);
  });
  app.delete('/admin/faults', async (_request, reply) => {
    context.faults.clear();
    return reply.code(204).send();
  });
  app.post<{ Params: { tenant: string }; Body: Record<string, boolean> }>(
    '/admin/tenants/:tenant/features',
    async (request, reply) => {
      if (!context.world.tenant(request.params.tenant)) return reply.code(404).send({ error: 'unknown tenant' });
      context.world.setFeatures(request.params.tenant, request.body);
      return context.world.tenant(request.params.tenant)!.features;
    },
  );
  app.get('/admin/captured/mail', async () => context.captured.mail);
  app.get('/admin/captured/slack', async () => context.captured.slack);
  app.get('/admin/captured/telegram', async () => context.captured.telegram);
  app.get('/admin/labels', async () => context.world.labels());
}
