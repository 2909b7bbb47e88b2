import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';
import { tenantSecretContext, type Sealer } from '@nightjar/core';
import { ApiError, notFound } from '../errors.ts';
import { toIso } from '../filters.ts';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const registration = z
  .object({
    tenantId: guid,
    clientId: guid.describe('The app registration consented in the tenant'),
    clientSecret: z.string().min(8).max(1_024).describe('Stored sealed (AES-256-GCM); never returned'),
    domain: z.string().min(3).max(253).optional(),
    displayName: z.string().min(1).max(200).optional(),
  })
  .strict();
const onboarded = z.object({
  tenantId: z.string(),
  clientId: z.string(),
  domain: z.string().nullable(),
  displayName: z.string().nullable(),
});

const capability = z.object({
  available: z.boolean(),
  reason: z.string().nullable().describe('Why not, in plain words (a missing licence)'),
  checked: z.string(),
});
const feedHealth = z.object({
  status: z
    .string()
    .describe('ok; failing (the last step failed and is retried); unavailable (refused: licence, consent, secret)'),
  lastSuccess: z.string().nullable().describe('ISO 8601; null until a step succeeded'),
  lastAttempt: z.string().describe('ISO 8601'),
  lastError: z.string().nullable().describe('The last failure in plain words; kept after a later success'),
  lastErrorCode: z.string().nullable().describe('e.g. NJ_MS_NO_P1'),
  consecutiveFailures: z.number().int(),
  caughtUp: z.boolean().describe('The backfill has reached the present'),
  readThrough: z.string().nullable().describe('ISO 8601: everything up to then has been read'),
  reported: z.string().describe('ISO 8601: when a collector reported this; an old report means no collector runs it'),
});
const listedTenant = z.object({
  tenantId: z.string(),
  domain: z.string().nullable(),
  displayName: z.string().nullable(),
  onboarded: z.boolean(),
  licences: z.array(z.string()),
  feeds: z.record(z.string(), capability).describe('By capability: signins, directory, users, devices, audit, …'),
  health: z
    .record(z.string(), feedHealth)
    .describe('By collector feed: signins, signins-noninteractive, audit:Audit.Exchange, …'),
});
type ListedTenant = z.infer<typeof listedTenant>;

interface HealthRow {
  tenant_id: string;
  feed: string;
  status: string;
  last_success_time: string | null;
  last_attempt_time: string;
  last_error: string | null;
  last_error_code: string | null;
  consecutive_failures: number | string;
  caught_up: boolean | number;
  read_through_time: string | null;
  time: string;
}

interface Registered {
  tenant_id: string;
  client_id: string;
  domain: string | null;
  display_name: string | null;
}

/**
 * Tenants: onboarding (credentials sealed at rest), off-boarding, what each tenant's licences allow
 * and how each of its collector feeds is doing, as the collectors last reported it.
 */
export function tenantRoutes(sealer: Sealer | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/tenants',
      {
        schema: {
          summary:
            'Tenants with the feeds their licences allow (and why not where they do not), and how each collector feed is doing',
          tags: ['tenants'],
          querystring: z.object({}).strict(),
          response: { 200: z.object({ items: z.array(listedTenant) }) },
        },
      },
      async (request) => {
        const msp = request.msp();
        const [capabilities, registrations, health] = await Promise.all([
          msp.query<{
            tenant_id: string;
            feed: string;
            available: boolean | number;
            reason: string | null;
            skus: string[];
            time: string;
          }>(
            `SELECT tenant_id, feed, available, reason, licence_sku_part_numbers AS skus, time
             FROM tenant_capabilities FINAL WHERE msp_id = {msp:String} ORDER BY tenant_id, feed`,
          ),
          msp.query<Registered>(
            `SELECT tenant_id, client_id, domain, display_name FROM tenant_registrations FINAL
             WHERE msp_id = {msp:String} AND NOT removed ORDER BY tenant_id`,
          ),
          msp.query<HealthRow>(
            `SELECT tenant_id, feed, status, last_success_time, last_attempt_time, last_error, last_error_code,
               consecutive_failures, caught_up, read_through_time, time
             FROM feed_health FINAL WHERE msp_id = {msp:String} ORDER BY tenant_id, feed`,
          ),
        ]);
        const tenants = new Map<string, ListedTenant>();
        const entry = (tenantId: string) => {
          let found = tenants.get(tenantId);
          if (!found) {
            found = {
              tenantId,
              domain: null,
              displayName: null,
              onboarded: false,
              licences: [],
              feeds: {},
              health: {},
            };
            tenants.set(tenantId, found);
          }
          return found;
        };
        for (const row of registrations) {
          Object.assign(entry(row.tenant_id), { domain: row.domain, displayName: row.display_name, onboarded: true });
        }
        for (const row of capabilities) {
          const tenant = entry(row.tenant_id);
          tenant.licences = [...new Set([...tenant.licences, ...row.skus])].sort();
          tenant.feeds[row.feed] = { available: Boolean(row.available), reason: row.reason, checked: toIso(row.time) };
        }
        for (const row of health) {
          entry(row.tenant_id).health[row.feed] = {
            status: row.status,
            lastSuccess: row.last_success_time === null ? null : toIso(row.last_success_time),
            lastAttempt: toIso(row.last_attempt_time),
            lastError: row.last_error,
            lastErrorCode: row.last_error_code,
            consecutiveFailures: Number(row.consecutive_failures),
            caughtUp: Boolean(row.caught_up),
            readThrough: row.read_through_time === null ? null : toIso(row.read_through_time),
            reported: toIso(row.time),
          };
        }
        return { items: [...tenants.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId)) };
      },
    );

    app.post(
      '/v1/tenants',
      {
        schema: {
          summary: 'Onboard a tenant: the collectors start reading it within a minute',
          tags: ['tenants'],
          body: registration,
          response: { 201: onboarded },
        },
      },
      async (request, reply) => {
        if (!sealer)
          throw new ApiError(503, 'not_configured', 'security.encryptionKey is not set: credentials cannot be stored');
        const msp = request.msp();
        const body = request.body;
        await msp.insert('tenant_registrations', [
          {
            tenant_id: body.tenantId.toLowerCase(),
            domain: body.domain ?? null,
            display_name: body.displayName ?? null,
            client_id: body.clientId.toLowerCase(),
            client_secret_sealed: sealer.seal(
              body.clientSecret,
              tenantSecretContext(msp.mspId, body.tenantId.toLowerCase()),
            ),
            removed: false,
            updated_time: clickhouseTime(Date.now()),
            version: Date.now(),
          },
        ]);
        return reply.code(201).send({
          tenantId: body.tenantId.toLowerCase(),
          clientId: body.clientId.toLowerCase(),
          domain: body.domain ?? null,
          displayName: body.displayName ?? null,
        });
      },
    );

    app.delete(
      '/v1/tenants/:tenantId',
      {
        schema: {
          summary: 'Off-board a tenant: its collection stops; its history stays until its retention ends',
          tags: ['tenants'],
          params: z.object({ tenantId: guid }),
        },
      },
      async (request, reply) => {
        const msp = request.msp();
        const tenantId = request.params.tenantId.toLowerCase();
        const [current] = await msp.query<Registered & { client_secret_sealed: string }>(
          `SELECT tenant_id, client_id, domain, display_name, client_secret_sealed FROM tenant_registrations FINAL
           WHERE msp_id = {msp:String} AND tenant_id = {tenant:String} AND NOT removed`,
          { tenant: tenantId },
        );
        if (!current) throw notFound('tenant');
        await msp.insert('tenant_registrations', [
          {
            ...current,
            removed: true,
            updated_time: clickhouseTime(Date.now()),
            version: Date.now(),
          },
        ]);
        return reply.code(204).send();
      },
    );
  };
}
