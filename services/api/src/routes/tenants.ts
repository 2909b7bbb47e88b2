import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';
import { tenantSecretContext, type Sealer } from '@nightjar/core';
import { ApiError, notFound } from '../errors.ts';

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

interface Registered {
  tenant_id: string;
  client_id: string;
  domain: string | null;
  display_name: string | null;
}

/** Tenants: onboarding (credentials sealed at rest), off-boarding, and what each tenant's licences allow. */
export function tenantRoutes(sealer: Sealer | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/v1/tenants',
      {
        schema: {
          summary: 'Tenants with the feeds their licences allow, and why not where they do not',
          tags: ['tenants'],
          querystring: z.object({}).strict(),
        },
      },
      async (request) => {
        const msp = request.msp();
        const [capabilities, registrations] = await Promise.all([
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
        ]);
        const tenants = new Map<
          string,
          {
            tenantId: string;
            domain: string | null;
            displayName: string | null;
            onboarded: boolean;
            licences: string[];
            feeds: Record<string, unknown>;
          }
        >();
        const entry = (tenantId: string) => {
          let tenant = tenants.get(tenantId);
          if (!tenant) {
            tenant = { tenantId, domain: null, displayName: null, onboarded: false, licences: [], feeds: {} };
            tenants.set(tenantId, tenant);
          }
          return tenant;
        };
        for (const row of registrations) {
          Object.assign(entry(row.tenant_id), { domain: row.domain, displayName: row.display_name, onboarded: true });
        }
        for (const row of capabilities) {
          const tenant = entry(row.tenant_id);
          tenant.licences = [...new Set([...tenant.licences, ...row.skus])].sort();
          tenant.feeds[row.feed] = { available: Boolean(row.available), reason: row.reason, checked: row.time };
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
