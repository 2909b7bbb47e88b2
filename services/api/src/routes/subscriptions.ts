import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Where } from '../filters.ts';
import { decodeKeys, keyedPageOf, pageQuery } from '../pagination.ts';

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
            cursor: pageQuery.cursor,
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
      // Soonest end first; open-ended ones last. The sort key travels in the cursor as text.
      const endKey = "toString(ifNull(commitment_end_time, toDateTime64('2299-12-31 00:00:00', 3, 'UTC')))";
      const after = decodeKeys(query.cursor, 3);
      if (after)
        where.add(`(${endKey}, tenant_id, subscription_uid) > ({e:String}, {t:String}, {s:String})`, {
          e: after[0]!,
          t: after[1]!,
          s: after[2]!,
        });
      const rows = await request
        .msp()
        .query<Record<string, unknown> & { end_key: string; tenant_id: string; subscription_uid: string }>(
          `SELECT tenant_id, subscription_uid, offer_name, friendly_name, quantity, status,
           commitment_end_time, auto_renew, billing_cycle, is_trial, suspension_reasons, ${endKey} AS end_key
         FROM subscriptions FINAL WHERE ${where.sql()}
         ORDER BY end_key, tenant_id, subscription_uid LIMIT {limit:UInt32}`,
          { ...where.params, limit: query.limit + 1 },
        );
      const page = keyedPageOf(rows, query.limit, (row) => [row.end_key, row.tenant_id, row.subscription_uid]);
      return { items: page.items.map(({ end_key: _sortKey, ...row }) => row), nextCursor: page.nextCursor };
    },
  );
};
