import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const AGS_DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'Local',
    Slice: 'E',
    Ring: '5',
    ScaleUnit: '000',
    RoleInstance: 'NIGHTJAR-SIM',
    ADSiteName: 'LOC',
  },
});

/**
 * The correlation headers Microsoft's hosts answer with (m365 contract §11.4,
 * §12): Graph's request-id, echoed client-request-id and x-ms-ags-diagnostic;
 * Partner Center's MS-RequestId and MS-CorrelationId. Collectors log them.
 */
export function registerCorrelationHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/graph/')) {
      const clientRequestId = request.headers['client-request-id'];
      void reply.headers({
        'request-id': randomUUID(),
        'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : randomUUID(),
        'x-ms-ags-diagnostic': AGS_DIAGNOSTIC,
        'strict-transport-security': 'max-age=31536000',
      });
    } else if (request.url.startsWith('/v1/')) {
      const requestId = request.headers['ms-requestid'];
      const correlationId = request.headers['ms-correlationid'];
      void reply.headers({
        'ms-requestid': typeof requestId === 'string' ? requestId : randomUUID(),
        'ms-correlationid': typeof correlationId === 'string' ? correlationId : randomUUID(),
      });
    }
  });
}
