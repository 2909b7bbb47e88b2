import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { StoreQueryError } from '@nightjar/store';

/** The one error shape every route answers with. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    /** For invalid requests: each offending field (`query.from`) and what is wrong with it. */
    readonly fields?: readonly { readonly field: string; readonly message: string }[];
  };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly { readonly field: string; readonly message: string }[] | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    fields?: readonly { readonly field: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);

/** Maps every failure to ErrorBody; internals (SQL, stack traces) never leave the process. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((issue) => ({
        field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
        message: issue.message ?? 'invalid',
      }));
      return reply.code(400).send({
        error: { code: 'invalid_request', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields },
      });
    }
    if (error instanceof ApiError)
      return reply.code(error.status).send({
        error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
      });
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: error.message } });
    if (status >= 400 && status < 500) {
      return reply
        .code(status)
        .send({ error: { code: error.code?.toLowerCase() ?? 'bad_request', message: error.message } });
    }
    const unavailable =
      error instanceof StoreQueryError ? false : (error as { retryable?: boolean }).retryable === true;
    request.log.error({ err: error }, 'request failed');
    return reply.code(unavailable ? 503 : 500).send({
      error: unavailable
        ? { code: 'unavailable', message: 'the history store is not answering; try again shortly' }
        : { code: 'internal', message: `internal error (request ${request.id})` },
    });
  });
}
