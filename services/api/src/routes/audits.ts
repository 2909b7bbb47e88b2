import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, toIso, Where } from '../filters.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';

const common = { tenant: z.string().min(1).max(100).optional(), from: instant.optional(), to: instant.optional() };

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/audits/directory',
    {
      schema: {
        summary: 'Entra ID directory audits',
        tags: ['audits'],
        querystring: z
          .object({
            ...common,
            activity: z.string().min(1).max(200).optional(),
            user: z.string().min(1).max(320).optional().describe('Actor user principal name'),
            target: z.string().min(1).max(320).optional().describe('Text found in the targets'),
            result: z.enum(['success', 'failure', 'timeout', 'unknownFutureValue']).optional(),
            ...pageQuery,
          })
          .strict(),
      },
    },
    async (request) => {
      const query = request.query;
      const where = new Where()
        .when(query.tenant, 'tenant_id = {tenant:String}', 'tenant')
        .when(query.activity, 'activity = {activity:String}', 'activity')
        .when(query.user?.toLowerCase(), 'lower(actor_user_name) = {user:String}', 'user')
        .when(query.target, 'positionCaseInsensitive(targets, {target:String}) > 0', 'target')
        .when(query.result, 'result = {result:String}', 'result')
        .when(query.from, 'time >= {from:DateTime64(3)}', 'from')
        .when(query.to, 'time < {to:DateTime64(3)}', 'to');
      const cursor = decodeCursor(query.cursor);
      if (cursor)
        where.add('(time < {ct:DateTime64(3)} OR (time = {ct:DateTime64(3)} AND event_id < {cid:String}))', {
          ct: cursor.time,
          cid: cursor.id,
        });
      const rows = await request.msp().query<{ time: string; event_id: string }>(
        `SELECT time, event_id, tenant_id, activity, category, result, result_reason,
           actor_user_name, actor_app_name, actor_ip, targets
         FROM directory_audits FINAL WHERE ${where.sql()} ORDER BY time DESC, event_id DESC LIMIT {limit:UInt32}`,
        { ...where.params, limit: query.limit + 1 },
      );
      const page = pageOf(rows, query.limit, (row) => row.event_id);
      return { ...page, items: page.items.map((row) => ({ ...row, time: toIso(row.time) })) };
    },
  );

  app.get(
    '/v1/audits/unified',
    {
      schema: {
        summary: 'Unified audit log records (Exchange, SharePoint and OneDrive, Azure AD, General, DLP)',
        tags: ['audits'],
        querystring: z
          .object({
            ...common,
            operation: z.string().min(1).max(200).optional(),
            workload: z.string().min(1).max(100).optional(),
            user: z.string().min(1).max(320).optional(),
            object: z.string().min(1).max(1_000).optional().describe('Text found in the object id'),
            ...pageQuery,
          })
          .strict(),
      },
    },
    async (request) => {
      const query = request.query;
      const where = new Where()
        .when(query.tenant, 'tenant_id = {tenant:String}', 'tenant')
        .when(query.operation, 'operation = {operation:String}', 'operation')
        .when(query.workload, 'workload = {workload:String}', 'workload')
        .when(query.user?.toLowerCase(), 'lower(user_id) = {user:String}', 'user')
        .when(query.object, "positionCaseInsensitive(ifNull(object_id, ''), {object:String}) > 0", 'object')
        .when(query.from, 'time >= {from:DateTime64(3)}', 'from')
        .when(query.to, 'time < {to:DateTime64(3)}', 'to');
      const cursor = decodeCursor(query.cursor);
      if (cursor)
        where.add('(time < {ct:DateTime64(3)} OR (time = {ct:DateTime64(3)} AND event_id < {cid:String}))', {
          ct: cursor.time,
          cid: cursor.id,
        });
      const rows = await request.msp().query<{ time: string; event_id: string }>(
        `SELECT time, event_id, tenant_id, workload, operation, record_type, user_id, src_ip,
           result_status, object_id, fields
         FROM audit_records FINAL WHERE ${where.sql()} ORDER BY time DESC, event_id DESC LIMIT {limit:UInt32}`,
        { ...where.params, limit: query.limit + 1 },
      );
      const page = pageOf(rows, query.limit, (row) => row.event_id);
      return { ...page, items: page.items.map((row) => ({ ...row, time: toIso(row.time) })) };
    },
  );
};
