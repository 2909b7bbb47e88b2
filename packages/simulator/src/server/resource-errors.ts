import type { FastifyReply } from 'fastify';
import { entraError, graphError } from './entra-errors.ts';

/**
 * Each Microsoft host refuses, throttles and fails in its own words (m365
 * contract §1.3, §8.3, §10.3, §11.2): a client written against one shape must
 * meet that shape here, not Graph's everywhere.
 */
export type Face = 'entra' | 'graph' | 'management' | 'partnerCenter';

export function unauthorized(face: Face, reply: FastifyReply, reason: string): FastifyReply {
  switch (face) {
    case 'management':
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ Message: 'Authorization has been denied for this request.' });
    case 'partnerCenter':
      return reply
        .code(401)
        .header('www-authenticate', 'OAuth realm="https://api.partnercenter.microsoft.com"')
        .send({ code: 401, description: reason, data: [], source: 'PartnerFD' });
    default:
      return reply.code(401).send(graphError('InvalidAuthenticationToken', reason, 401));
  }
}

/** Over a budget or an injected 429; `publisherId` keys the Management API's pool. */
export function throttled(face: Face, reply: FastifyReply, retryAfterSeconds: number, publisherId?: string) {
  void reply.header('retry-after', String(retryAfterSeconds));
  switch (face) {
    case 'entra':
      return reply
        .code(429)
        .send(entraError('temporarily_unavailable', 90055, 'The request was throttled. Please try again later.'));
    case 'management':
      // The Management API says "too many" with 403 and AF429, not with 429.
      return reply.code(403).send({
        error: {
          code: 'AF429',
          message: `Too many requests. Method=GetContent, PublisherId=${publisherId ?? '00000000-0000-0000-0000-000000000000'}`,
        },
      });
    case 'partnerCenter':
      return reply.code(429).send({
        statusCode: 429,
        message: `Rate limit is exceeded. Try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} seconds.`,
      });
    default:
      return reply.code(429).send(graphError('TooManyRequests', 'Please retry again later.', 429));
  }
}

export function unavailable(face: Face, reply: FastifyReply, retryAfterSeconds: number) {
  void reply.header('retry-after', String(retryAfterSeconds));
  switch (face) {
    case 'entra':
      return reply
        .code(503)
        .send(entraError('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'));
    case 'management':
      return reply
        .code(503)
        .send({ error: { code: 'AF50000', message: 'An internal error occurred. Retry the request.' } });
    case 'partnerCenter':
      return reply.code(503).send({ code: 503, description: 'Service unavailable.', data: [], source: 'PartnerFD' });
    default:
      return reply.code(503).send(graphError('ServiceUnavailable', 'Service unavailable.', 503));
  }
}
