import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { instant, Where } from '../filters.ts';

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
      return {
        items: await request.msp().query(
          `SELECT delivery_id, attempt, tenant_ids, alert_ids, severity, channel, target, status, provider_status,
             provider_response, error, repeated, time
           FROM notification_deliveries FINAL WHERE ${where.sql()} ORDER BY time DESC LIMIT {limit:UInt32}`,
          { ...where.params, limit: query.limit },
        ),
      };
    },
  );
};
