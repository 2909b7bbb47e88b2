import type { FastifyInstance } from 'fastify';
import { guard, type SimContext } from './context.ts';
import { PARTNER_PER_TENANT } from './throttle.ts';

const partnerBudget = (tenant: string, app: string) => [
  { key: `partner/${app}/${tenant}`, budget: PARTNER_PER_TENANT },
];

/** Partner Center: the MSP's CSP customers (seek-based paging) and their subscriptions. */
export function registerPartnerRoutes(app: FastifyInstance, context: SimContext): void {
  app.get<{ Querystring: { size?: string; seekOperation?: string } }>('/v1/customers', async (request, reply) => {
    const caller = await guard(context, request, reply, 'partnerCenter', 'partnerCenter', partnerBudget);
    if (!caller) return reply;
    if (caller.tenantId !== context.partner.tenantId)
      return reply.code(403).send({ code: 2032, description: 'Access denied: not a partner tenant.' });
    const size = Math.min(Math.max(Number(request.query.size ?? 100) || 100, 1), 500);
    const token = request.headers['ms-continuationtoken'];
    const offset =
      request.query.seekOperation === 'Next' && typeof token === 'string'
        ? Number(Buffer.from(token, 'base64url').toString())
        : 0;
    const customers = context.world.partnerCustomers();
    const items = customers.slice(offset, offset + size);
    const links: Record<string, unknown> = { self: { uri: `/v1/customers?size=${size}`, method: 'GET', headers: [] } };
    if (offset + size < customers.length) {
      links['next'] = {
        uri: `/v1/customers?size=${size}&seekOperation=Next`,
        method: 'GET',
        headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(offset + size)).toString('base64url') }],
      };
    }
    return { totalCount: items.length, items, links, attributes: { objectType: 'Collection' } };
  });

  app.get<{ Params: { customer: string } }>('/v1/customers/:customer/subscriptions', async (request, reply) => {
    const caller = await guard(context, request, reply, 'partnerCenter', 'partnerCenter', partnerBudget);
    if (!caller) return reply;
    const customer = context.world.tenant(request.params.customer);
    if (!customer) {
      return reply.code(404).send({ code: 60003, description: 'Tenant not found.', data: [], source: 'PartnerFD' });
    }
    if (customer.features.advisorOnly) {
      return reply.code(403).send({
        code: 20002,
        description: 'Partner does not have a commerce relationship with the customer.',
        data: [],
        source: 'PartnerFD',
      });
    }
    const items = context.world.partnerSubscriptions(request.params.customer);
    return { totalCount: items.length, items, attributes: { objectType: 'Collection' } };
  });
}
