import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeKeys, keyedPageOf, pageQuery } from '../pagination.ts';
import { Where } from '../filters.ts';

const NON_COMPLIANT = "compliance_state IN ('noncompliant', 'error', 'conflict')";

/**
 * Devices as they are now: a device the collector saw disappear keeps its row
 * with `removed` set (migration 008). The filter must stay in WHERE, which
 * ClickHouse applies after FINAL has picked each device's newest state.
 */
const enrolledDevices = (tenant: string | undefined): Where =>
  new Where().add('NOT removed').when(tenant, 'tenant_id = {tenant:String}', 'tenant');

export const deviceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/devices/compliance',
    {
      schema: {
        summary: 'Compliance across every tenant, and per tenant',
        tags: ['devices'],
        querystring: z.object({ tenant: z.string().min(1).max(100).optional() }).strict(),
      },
    },
    async (request) => {
      const where = enrolledDevices(request.query.tenant);
      const tenants = await request.msp().query<{ tenant_id: string; devices: string; non_compliant: string }>(
        `SELECT tenant_id, count() AS devices, countIf(${NON_COMPLIANT}) AS non_compliant,
           countIf(compliance_state = 'compliant') AS compliant, countIf(compliance_state = 'inGracePeriod') AS in_grace
         FROM devices FINAL WHERE ${where.sql()} GROUP BY tenant_id ORDER BY non_compliant DESC, tenant_id`,
        where.params,
      );
      const total = tenants.reduce((sum, row) => sum + Number(row.devices), 0);
      const bad = tenants.reduce((sum, row) => sum + Number(row.non_compliant), 0);
      return { devices: total, nonCompliant: bad, compliantShare: total === 0 ? null : (total - bad) / total, tenants };
    },
  );

  app.get(
    '/v1/devices',
    {
      schema: {
        summary: 'Managed devices: non-compliant ones with their state, stale ones, or all',
        tags: ['devices'],
        querystring: z
          .object({
            tenant: z.string().min(1).max(100).optional(),
            nonCompliant: z.stringbool().optional(),
            staleDays: z.coerce.number().int().min(1).max(3_650).optional().describe('Not synced for this many days'),
            os: z.string().min(1).max(50).optional(),
            limit: z.coerce.number().int().min(1).max(5_000).default(500),
            cursor: pageQuery.cursor,
          })
          .strict(),
      },
    },
    async (request) => {
      const query = request.query;
      const where = enrolledDevices(query.tenant)
        .when(query.os, 'os = {os:String}', 'os')
        .when(
          query.staleDays,
          '(last_sync_time IS NULL OR last_sync_time < now64(3) - toIntervalDay({stale:UInt32}))',
          'stale',
        );
      if (query.nonCompliant) where.add(NON_COMPLIANT);
      const after = decodeKeys(query.cursor, 2);
      if (after) where.add('(tenant_id, device_uid) > ({t:String}, {d:String})', { t: after[0]!, d: after[1]! });
      const rows = await request.msp().query<Record<string, unknown> & { tenant_id: string; device_uid: string }>(
        `SELECT tenant_id, device_uid, device_name, user_name, os, os_version, compliance_state,
           last_sync_time, is_encrypted, owner_type
         FROM devices FINAL WHERE ${where.sql()} ORDER BY tenant_id, device_uid LIMIT {limit:UInt32}`,
        { ...where.params, limit: query.limit + 1 },
      );
      return keyedPageOf(rows, query.limit, (row) => [row.tenant_id, row.device_uid]);
    },
  );

  app.get(
    '/v1/devices/os-versions',
    {
      schema: {
        summary: 'How many devices run each operating system version',
        tags: ['devices'],
        querystring: z.object({ tenant: z.string().min(1).max(100).optional() }).strict(),
      },
    },
    async (request) => {
      const where = enrolledDevices(request.query.tenant);
      return {
        items: await request.msp().query(
          `SELECT os, os_version, count() AS devices FROM devices FINAL WHERE ${where.sql()}
           GROUP BY os, os_version ORDER BY devices DESC, os, os_version LIMIT 500`,
          where.params,
        ),
      };
    },
  );
};
