import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiKeys, Caller } from '../api-keys.ts';
import { ApiError, notFound } from '../errors.ts';

const newKey = z.object({ role: z.enum(['admin', 'analyst']), name: z.string().min(1).max(200) }).strict();
const issued = z.object({
  keyId: z.string(),
  mspId: z.string(),
  role: z.string(),
  name: z.string(),
  key: z.string().describe('Shown once; store it now'),
});
const keyList = z.object({
  items: z.array(
    z.object({ keyId: z.string(), role: z.string(), name: z.string(), created: z.string(), revoked: z.boolean() }),
  ),
});
const mspParam = z.object({ mspId: z.string().regex(/^[\w.-]{1,100}$/, 'letters, digits, - _ .') });

/** Key management: the platform key manages any MSP's keys, an MSP's admin keys its own. */
export function keyRoutes(keys: ApiKeys): FastifyPluginAsyncZod {
  return async (app) => {
    const ownMsp = (caller: Caller): string | undefined => (caller.kind === 'msp' ? caller.mspId : undefined);

    app.post(
      '/v1/msps/:mspId/keys',
      {
        config: { access: 'platform' },
        schema: {
          summary: 'Issue a key for an MSP (platform)',
          tags: ['keys'],
          params: mspParam,
          body: newKey,
          response: { 201: issued },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await keys.issue(request.params.mspId, request.body.role, request.body.name)),
    );
    app.get(
      '/v1/msps/:mspId/keys',
      {
        config: { access: 'platform' },
        schema: { summary: "An MSP's keys (platform)", tags: ['keys'], params: mspParam, response: { 200: keyList } },
      },
      async (request) => ({ items: await keys.list(request.params.mspId) }),
    );
    app.get(
      '/v1/msps',
      {
        config: { access: 'platform' },
        schema: {
          summary: 'MSPs with their keys (platform)',
          tags: ['keys'],
          querystring: z.object({}).strict(),
          response: {
            200: z.object({
              items: z.array(z.object({ mspId: z.string(), activeKeys: z.number().int(), keys: z.number().int() })),
            }),
          },
        },
      },
      async () => ({ items: await keys.msps() }),
    );
    app.delete(
      '/v1/msps/:mspId/keys',
      {
        config: { access: 'platform' },
        schema: {
          summary: 'Suspend an MSP: revoke all its keys (platform); issue a new key to let it back in',
          tags: ['keys'],
          params: mspParam,
          response: { 200: z.object({ revoked: z.number().int() }) },
        },
      },
      async (request) => ({ revoked: await keys.revokeAll(request.params.mspId) }),
    );
    app.delete(
      '/v1/msps/:mspId/keys/:keyId',
      {
        config: { access: 'platform' },
        schema: {
          summary: 'Revoke a key (platform)',
          tags: ['keys'],
          params: mspParam.extend({ keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
        },
      },
      async (request, reply) => {
        if (!(await keys.revoke(request.params.mspId, request.params.keyId))) throw notFound('key');
        return reply.code(204).send();
      },
    );

    app.post(
      '/v1/keys',
      {
        config: { access: 'admin' },
        schema: { summary: 'Issue a key for your MSP', tags: ['keys'], body: newKey, response: { 201: issued } },
      },
      async (request, reply) => {
        const mspId = ownMsp(request.caller());
        if (!mspId) throw new ApiError(403, 'forbidden', 'an MSP key is needed');
        return reply.code(201).send(await keys.issue(mspId, request.body.role, request.body.name));
      },
    );
    app.get(
      '/v1/keys',
      {
        config: { access: 'admin' },
        schema: { summary: "Your MSP's keys", tags: ['keys'], response: { 200: keyList } },
      },
      async (request) => ({ items: await keys.list(request.msp().mspId) }),
    );
    app.delete(
      '/v1/keys/:keyId',
      {
        config: { access: 'admin' },
        schema: {
          summary: 'Revoke one of your keys',
          tags: ['keys'],
          params: z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
        },
      },
      async (request, reply) => {
        if (!(await keys.revoke(request.msp().mspId, request.params.keyId))) throw notFound('key');
        return reply.code(204).send();
      },
    );
  };
}
