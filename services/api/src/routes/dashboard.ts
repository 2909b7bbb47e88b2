import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';
import { instant, Where } from '../filters.ts';

const DIMENSIONS = { tenant: 'tenant_id', status: 'status', country: 'src_country', hour: 'hour' } as const;

/** Groups an answer holds at most; one more is read to tell whether there were more. */
const MAX_GROUPS = 10_000;

const aggregate = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  truncated: z
    .boolean()
    .describe(
      `True when more than ${MAX_GROUPS} groups matched and only the first ${MAX_GROUPS} (in dimension order) are ` +
        'in items: narrow the window, the tenant or the dimensions for the rest',
    ),
});

export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/dashboard/signins',
    {
      schema: {
        summary: 'Sign-ins and distinct users per tenant, status, country and hour (replays counted once)',
        tags: ['sign-ins'],
        querystring: z
          .object({
            tenant: z.string().min(1).max(100).optional(),
            from: instant.optional().describe('ISO 8601; default 24 hours ago'),
            to: instant.optional(),
            by: z
              .string()
              .regex(/^(tenant|status|country|hour)(,(tenant|status|country|hour))*$/, 'tenant, status, country, hour')
              .default('tenant,status')
              .describe('Comma-separated dimensions'),
          })
          .strict(),
        response: { 200: aggregate },
      },
    },
    async (request) => {
      const query = request.query;
      const dimensions = [...new Set(query.by.split(','))].map((name) => DIMENSIONS[name as keyof typeof DIMENSIONS]);
      const where = new Where()
        .when(query.tenant, 'tenant_id = {tenant:String}', 'tenant')
        .add('hour >= toStartOfHour({from:DateTime64(3)})', {
          from: query.from ?? clickhouseTime(Date.now() - 86_400_000),
        })
        .when(query.to, 'hour < {to:DateTime64(3)}', 'to');
      const columns = dimensions.join(', ');
      const rows = await request.msp().query<Record<string, unknown>>(
        `SELECT ${columns}, uniqExactMerge(sign_ins) AS sign_ins, uniqMerge(users) AS users
         FROM signins_hourly WHERE ${where.sql()} GROUP BY ${columns} ORDER BY ${columns} LIMIT {groups:UInt32}`,
        { ...where.params, groups: MAX_GROUPS + 1 },
      );
      return { items: rows.slice(0, MAX_GROUPS), truncated: rows.length > MAX_GROUPS };
    },
  );
};
