import type { FastifyInstance } from 'fastify';
import type { SimContext } from './context.ts';

/**
 * The outside channels the notifier uses, captured for tests: a Slack
 * incoming webhook and the Telegram Bot API's sendMessage, each answering 429
 * with its own retry hint when a fault says so.
 */
export function registerChannelRoutes(app: FastifyInstance, context: SimContext): void {
  app.post<{ Params: { '*': string } }>('/slack/services/*', async (request, reply) => {
    const fault = context.faults.take('slack', undefined);
    if (fault?.kind === '429')
      return reply
        .code(429)
        .header('retry-after', String(fault.retryAfterSeconds))
        .type('text/plain')
        .send('rate_limited');
    if (fault?.kind === '503') return reply.code(503).type('text/plain').send('service_unavailable');
    const body = request.body as { text?: unknown; blocks?: unknown } | undefined;
    if (!body || (body.text === undefined && body.blocks === undefined))
      return reply.code(400).type('text/plain').send('no_text');
    context.captured.slack.push({ path: request.params['*'], body, at: Date.now() });
    return reply.type('text/plain').send('ok');
  });

  app.post<{ Params: { token: string } }>('/telegram/bot:token/sendMessage', async (request, reply) => {
    const fault = context.faults.take('telegram', undefined);
    if (fault?.kind === '429') {
      const retryAfter = Math.max(1, Math.ceil(fault.retryAfterSeconds));
      return reply.code(429).send({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    const body = request.body as { chat_id?: unknown; text?: unknown } | undefined;
    if (!body?.chat_id || typeof body.text !== 'string' || body.text === '') {
      return reply.code(400).send({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    }
    context.captured.telegram.push({ token: request.params.token, body, at: Date.now() });
    const messageId = context.captured.telegram.length;
    return {
      ok: true,
      result: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: body.chat_id, type: 'private' },
        text: body.text,
      },
    };
  });
}
