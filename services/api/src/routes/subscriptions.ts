import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Where } from '../filters.ts';

export const subscriptionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/subscriptions',
    {
      schema: {
        summary: 'CSP subscriptions across every customer',
        tags: ['subscriptions'],
        querystring: z
          .object({
            tenant: z.string().min(1).max(100).optional(),
            status: z
              .string()
              .regex(/^[a-z]+$/i, 'a status such as active or suspended')
              .optional(),
            expiringWithinDays: z.coerce.number().int().min(0).max(3_650).optional(),
            limit: z.coerce.number().int().min(1).max(5_000).default(500),
          })
          .strict(),
      },
    },
    async (request) => {
      const query = request.query;
      const where = new Where()
        .when(query.tenant, 'tenant_id = {tenant:String}', 'tenant')
        .when(query.status?.toLowerCase(), 'lower(status) = {status:String}', 'status')
        .when(
          query.expiringWithinDays,
          // Lapsed commitments are not "expiring": without the lower bound they would fill the list forever.
          `commitment_end_time IS NOT NULL AND commitment_end_time >= now64(3)
           AND commitment_end_time < now64(3) + toIntervalDay({days:UInt32})`,
          'days',
        );
      return {
        items: await request.msp().query(
          `SELECT tenant_id, subscription_uid, offer_name, friendly_name, quantity, status,
             commitment_end_time, auto_renew, billing_cycle, is_trial, suspension_reasons
           FROM subscriptions FINAL WHERE ${where.sql()} ORDER BY commitment_end_time, tenant_id LIMIT {limit:UInt32}`,
          { ...where.params, limit: query.limit },
        ),
      };
    },
  );
};
