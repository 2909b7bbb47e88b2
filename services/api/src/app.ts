import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Sealer, Secret } from '@nightjar/core';
import { mspSettingsDocuments, type HistoryStore } from '@nightjar/store';
import { ApiKeys, type Caller } from './api-keys.ts';
import { ApiError, registerErrorHandling } from './errors.ts';
import { FailedAuthentications } from './failed-authentications.ts';
import { MspQueries } from './msp-queries.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audits.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { deviceRoutes } from './routes/devices.ts';
import { keyRoutes } from './routes/keys.ts';
import { settingsRoutes } from './routes/settings.ts';
import { signInRoutes } from './routes/signins.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { tenantRoutes } from './routes/tenants.ts';

/** Who may call a route: any MSP key (read), an MSP admin key (admin), or the platform key (platform). */
export type Access = 'read' | 'admin' | 'platform';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller. */
    caller(): Caller;
    /** History confined to the caller's MSP; the platform key has none. */
    msp(): MspQueries;
  }
}

export interface ApiOptions {
  readonly store: HistoryStore;
  readonly log: Logger;
  /** Manages MSPs and their keys; unset, keys can only be issued with `nightjar api-key`. */
  readonly platformKey?: Secret;
  /** Requests per minute per key (per address before authentication). */
  readonly rateLimitPerMinute?: number;
  /** Rejected keys per minute per client address before the address is answered 429 until the minute ends. */
  readonly failedAuthenticationsPerMinute?: number;
  /** Seals tenant credentials at rest; without it, onboarding through the API answers 503. */
  readonly sealer?: Sealer;
}

const PUBLIC = new Set(['/docs', '/openapi.json']);

/**
 * The query API: every route validated by its zod schema (which also writes
 * the OpenAPI document at /openapi.json and the docs at /docs), every answer
 * confined to the caller's MSP, every failure in one JSON shape.
 */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  // pino's Logger is what Fastify logs with; typed as Fastify's own so the instance keeps its default types.
  const logger: FastifyBaseLogger = options.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 600 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Nightjar API',
        version: '1',
        description: 'Sign-ins, audits, devices, subscriptions and alerts of every tenant of an MSP.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'nj_<id>_<secret>' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const keys = new ApiKeys(options.store, options.platformKey);
  const failedAuthentications = new FailedAuthentications({ limit: options.failedAuthenticationsPerMinute ?? 20 });
  const callers = new WeakMap<object, Caller>();
  app.decorateRequest('caller', function (this: object) {
    const caller = callers.get(this);
    if (!caller) throw new ApiError(401, 'unauthorized', 'an API key is needed');
    return caller;
  });
  app.decorateRequest('msp', function (this: object) {
    const caller = callers.get(this);
    if (!caller) throw new ApiError(401, 'unauthorized', 'an API key is needed');
    if (caller.kind !== 'msp')
      throw new ApiError(403, 'forbidden', 'the platform key manages MSPs and reads no MSP data');
    return new MspQueries(options.store, caller.mspId);
  });

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (PUBLIC.has(path) || path.startsWith('/docs/') || !request.routeOptions.url) return;
    // The rate limit runs after authentication, when it knows the key; guesses are limited here, before a lookup.
    const retryAfter = failedAuthentications.retryAfterSeconds(request.ip);
    if (retryAfter !== undefined) {
      reply.header('retry-after', String(retryAfter));
      throw new ApiError(
        429,
        'rate_limited',
        `too many rejected API keys from this address; retry in ${retryAfter} seconds`,
      );
    }
    const presented = presentedKey(request.headers);
    const caller = await keys.authenticate(presented);
    if (!caller) {
      if (presented) failedAuthentications.record(request.ip);
      throw new ApiError(401, 'unauthorized', 'a valid API key is needed (Authorization: Bearer nj_…)');
    }
    const access: Access = request.routeOptions.config.access ?? (request.method === 'GET' ? 'read' : 'admin');
    if (access === 'platform' && caller.kind !== 'platform')
      throw new ApiError(403, 'forbidden', 'only the platform key manages MSPs');
    if (access !== 'platform' && caller.kind === 'platform')
      throw new ApiError(403, 'forbidden', 'the platform key manages MSPs and reads no MSP data');
    if (access === 'admin' && caller.kind === 'msp' && caller.role !== 'admin')
      throw new ApiError(403, 'forbidden', 'an analyst key reads; this needs an admin key');
    callers.set(request, caller);
  });
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (request) => {
      const caller = callers.get(request);
      return caller?.kind === 'msp' ? `key:${caller.keyId}` : caller ? 'platform' : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`rate limit of ${context.max} requests per minute reached; retry in ${context.after}`), {
        statusCode: 429,
      }),
  });

  await app.register(signInRoutes);
  await app.register(dashboardRoutes);
  await app.register(alertRoutes);
  await app.register(auditRoutes);
  await app.register(deviceRoutes);
  await app.register(subscriptionRoutes);
  await app.register(tenantRoutes(options.sealer));
  await app.register(deliveryRoutes);
  await app.register(keyRoutes(keys));
  await app.register(settingsRoutes(mspSettingsDocuments(options.store), options.sealer));
  return app;
}

function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers['authorization'];
  if (typeof authorization === 'string' && /^bearer /i.test(authorization)) return authorization.slice(7).trim();
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}
