import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, Where } from '../filters.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';

export const deliveryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/deliveries',
    {
      schema: {
        summary: 'Every attempt to notify: channel, target, outcome and the provider answer',
        tags: ['notifications'],
        querystring: z
          .object({
            alert: z.string().min(1).max(512).optional(),
            status: z.enum(['delivered', 'retrying', 'parked', 'suppressed']).optional(),
            from: instant.optional(),
            limit: z.coerce.number().int().min(1).max(5_000).default(200),
            cursor: pageQuery.cursor,
          })
          .strict(),
      },
    },
    async (request) => {
      const query = request.query;
      const where = new Where()
        .when(query.alert, 'has(alert_ids, {alert:String})', 'alert')
        .when(query.status, 'status = {status:String}', 'status')
        .when(query.from, 'time >= {from:DateTime64(3)}', 'from');
      // Newest first; one delivery's attempts share its id, so the attempt breaks ties.
      const attemptKey = "concat(delivery_id, '/', leftPad(toString(attempt), 6, '0'))";
      const cursor = decodeCursor(query.cursor);
      if (cursor)
        where.add(`(time < {ct:DateTime64(3)} OR (time = {ct:DateTime64(3)} AND ${attemptKey} < {cid:String}))`, {
          ct: cursor.time,
          cid: cursor.id,
        });
      const rows = await request.msp().query<Record<string, unknown> & { time: string; attempt_key: string }>(
        `SELECT delivery_id, attempt, tenant_ids, alert_ids, severity, channel, target, status, provider_status,
           provider_response, error, repeated, time, ${attemptKey} AS attempt_key
         FROM notification_deliveries FINAL WHERE ${where.sql()}
         ORDER BY time DESC, attempt_key DESC LIMIT {limit:UInt32}`,
        { ...where.params, limit: query.limit + 1 },
      );
      const page = pageOf(rows, query.limit, (row) => row.attempt_key);
      return { items: page.items.map(({ attempt_key: _sortKey, ...row }) => row), nextCursor: page.nextCursor };
    },
  );
};
