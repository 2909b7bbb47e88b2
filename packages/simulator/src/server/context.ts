import type { FastifyReply, FastifyRequest } from 'fastify';
import type { World } from '../world/cloud.ts';
import type { Endpoint, FaultController } from './faults.ts';
import type { Budget, Throttle } from './throttle.ts';
import type { Resource, TokenAuthority } from './tokens.ts';
import { throttled, unauthorized, unavailable, type Face } from './resource-errors.ts';

export interface PartnerAccount {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface Captured {
  readonly mail: { tenantId: string; from: string; message: unknown; at: number }[];
  readonly slack: { path: string; body: unknown; at: number }[];
  readonly telegram: { token: string; body: unknown; at: number }[];
}

/** Simulated time: history up to the world's start, then running at `factor` times the wall clock. */
export class SimClock {
  readonly #world: World;
  #base: number;
  #wallBase = Date.now();
  readonly #factor: number;

  constructor(world: World, factor: number) {
    this.#world = world;
    this.#base = world.now();
    this.#factor = factor;
  }

  now(): number {
    const target = this.#base + (Date.now() - this.#wallBase) * this.#factor;
    if (target > this.#world.now()) this.#world.advanceTo(target);
    return this.#world.now();
  }

  advance(ms: number): number {
    this.#base = this.now() + ms;
    this.#wallBase = Date.now();
    return this.now();
  }
}

export interface SimContext {
  readonly world: World;
  readonly clock: SimClock;
  readonly tokens: TokenAuthority;
  readonly faults: FaultController;
  readonly throttle: Throttle;
  readonly captured: Captured;
  readonly partner: PartnerAccount;
  /** Management Activity subscriptions per tenant and content type. */
  readonly subscriptions: Map<string, Map<string, { enabled: boolean; startedAt: number }>>;
  readonly baseUrl: () => string;
}

/** The host whose error shapes an endpoint answers with. */
export function faceOf(endpoint: Endpoint): Face {
  if (endpoint === 'token') return 'entra';
  if (endpoint === 'management' || endpoint === 'partnerCenter') return endpoint;
  return 'graph';
}

/**
 * What every Microsoft-facing route does first: check the bearer token for
 * its resource, apply a switched-on fault, and spend the throttling budget.
 * Returns the caller's tenant, or undefined once it has answered the request.
 */
export async function guard(
  context: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: Endpoint,
  resource: Resource,
  budgets: (tenantId: string, appId: string) => readonly { key: string; budget: Budget }[] = () => [],
): Promise<{ tenantId: string; appId: string } | undefined> {
  const claims = context.tokens.verify(request.headers.authorization, resource);
  if ('refused' in claims) {
    void unauthorized(faceOf(endpoint), reply, claims.refused);
    return undefined;
  }
  if (!(await applyFault(context, request, reply, endpoint, claims.tid))) return undefined;
  const wait = context.throttle.admit(budgets(claims.tid, claims.appid));
  if (wait > 0) {
    void throttled(faceOf(endpoint), reply, Math.ceil(wait / 1000), publisherOf(request));
    return undefined;
  }
  return { tenantId: claims.tid, appId: claims.appid };
}

function publisherOf(request: FastifyRequest): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.['PublisherIdentifier'];
  return typeof value === 'string' ? value : undefined;
}

/** False when the fault answered the request itself. */
export async function applyFault(
  context: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: Endpoint,
  tenantId: string | undefined,
): Promise<boolean> {
  const fault = context.faults.take(endpoint, tenantId);
  // Both act elsewhere: an expired secret at the token endpoint, a late arrival on what a collection shows.
  if (!fault || fault.kind === 'expiredSecret' || fault.kind === 'lateArrival') return true;
  switch (fault.kind) {
    case '429':
      void throttled(faceOf(endpoint), reply, fault.retryAfterSeconds, publisherOf(request));
      return false;
    case '503':
      void unavailable(faceOf(endpoint), reply, fault.retryAfterSeconds);
      return false;
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return true;
    case 'reset':
      // Half a response, then the connection drops, as a load balancer reset does mid-page.
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/json' });
      reply.raw.write(endpoint === 'management' ? '[{"contentType":"Audit.' : '{"value":[{"id":"');
      request.raw.socket.destroy();
      return false;
  }
}
