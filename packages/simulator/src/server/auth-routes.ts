import type { FastifyInstance } from 'fastify';
import { applyFault, type SimContext } from './context.ts';
import { entraError } from './entra-errors.ts';
import { RESOURCE_BY_SCOPE } from './tokens.ts';

/** Entra ID: OpenID metadata and the v2 client-credentials token endpoint. */
export function registerAuthRoutes(app: FastifyInstance, context: SimContext): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const knownTenant = (name: string): string | undefined => {
    if (name === context.partner.tenantId) return name;
    const lower = name.toLowerCase();
    return context.world.tenants().find((tenant) => tenant.id === lower || tenant.domain.toLowerCase() === lower)?.id;
  };

  app.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
    const tenantId = knownTenant(request.params.tenant);
    if (!tenantId)
      return reply.code(400).send(entraError('invalid_tenant', 90002, `Tenant '${request.params.tenant}' not found.`));
    const base = `${context.baseUrl()}/${tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      issuer: `${base}/v2.0`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      tenant_region_scope: 'EU',
    };
  });

  app.post<{ Params: { tenant: string }; Body: Record<string, string> }>(
    '/:tenant/oauth2/v2.0/token',
    async (request, reply) => {
      const form = request.body ?? {};
      const tenantId = knownTenant(request.params.tenant);
      if (!(await applyFault(context, request, reply, 'token', tenantId))) return reply;
      if (!tenantId) {
        return reply
          .code(400)
          .send(
            entraError(
              'invalid_request',
              90002,
              `Tenant '${request.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
            ),
          );
      }
      if (form['grant_type'] !== 'client_credentials') {
        return reply
          .code(400)
          .send(entraError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'));
      }
      const resource = RESOURCE_BY_SCOPE[form['scope'] ?? ''];
      if (!resource) {
        return reply
          .code(400)
          .send(
            entraError(
              'invalid_scope',
              1002012,
              `The provided value for scope ${form['scope'] ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            ),
          );
      }
      const expected = expectedCredentials(context, tenantId);
      if (form['client_id'] !== expected.clientId) {
        return reply
          .code(400)
          .send(
            entraError(
              'unauthorized_client',
              700016,
              `Application with identifier '${form['client_id'] ?? ''}' was not found in the directory '${tenantId}'.`,
            ),
          );
      }
      if (!expected.consented) {
        return reply
          .code(400)
          .send(
            entraError(
              'invalid_grant',
              65001,
              `The user or administrator has not consented to use the application with ID '${expected.clientId}'.`,
            ),
          );
      }
      const secretExpired =
        expected.secretExpiresAt <= context.clock.now() ||
        context.faults
          .list()
          .some((fault) => fault.kind === 'expiredSecret' && (fault.tenantId ?? tenantId) === tenantId);
      if (form['client_secret'] !== expected.clientSecret) {
        return reply
          .code(401)
          .send(
            entraError(
              'invalid_client',
              7000215,
              "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" +
                expected.clientId +
                "'.",
            ),
          );
      }
      if (secretExpired) {
        return reply
          .code(401)
          .send(
            entraError(
              'invalid_client',
              7000222,
              `The provided client secret keys for app '${expected.clientId}' are expired. Visit the Azure portal to create new keys for your app.`,
            ),
          );
      }
      return {
        token_type: 'Bearer',
        expires_in: context.tokens.lifetimeSeconds,
        ext_expires_in: context.tokens.lifetimeSeconds,
        access_token: context.tokens.issue(tenantId, expected.clientId, resource),
      };
    },
  );
}

function expectedCredentials(context: SimContext, tenantId: string) {
  if (tenantId === context.partner.tenantId) {
    return {
      clientId: context.partner.clientId,
      clientSecret: context.partner.clientSecret,
      consented: true,
      secretExpiresAt: Number.POSITIVE_INFINITY,
    };
  }
  const tenant = context.world.tenant(tenantId)!;
  return { ...tenant.credentials, consented: tenant.features.consented };
}
