import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConfigError, notificationSettingsContext, type Sealer } from '@nightjar/core';
import { ALL_RULES, mspConfigSchema } from '@nightjar/detections';
import { parseNotifications } from '@nightjar/notifier';
import type { MspSettingsDocuments } from '@nightjar/store';
import { ApiError } from '../errors.ts';
import { hidesSecrets, HIDDEN, redacted, withStoredSecrets } from './notification-secrets.ts';

/**
 * Rules and each MSP's settings: detection (rule parameters, suppressions,
 * countries, trusted ranges) and notification (targets and routes, sealed
 * because they hold secrets). Detectors and notifiers pick changes up within
 * half a minute.
 */
export function settingsRoutes(documents: MspSettingsDocuments, sealer: Sealer | undefined): FastifyPluginAsyncZod {
  /** The body with each secret sent back as asterisks replaced by the one stored; 400 naming any with none stored. */
  async function keepStoredSecrets(mspId: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!hidesSecrets(body)) return body;
    const sealed = await documents.one(mspId, 'notification');
    if (sealed && !sealer) throw new ApiError(503, 'not_configured', 'security.encryptionKey is not set');
    const stored: unknown = sealed && sealer ? JSON.parse(sealer.open(sealed, notificationSettingsContext(mspId))) : {};
    const { document, missing } = withStoredSecrets(body, stored);
    if (missing.length > 0) {
      const fields = missing.map((field) => ({
        field,
        message: `"${HIDDEN}" keeps the stored secret, and none is stored here; send the secret itself`,
      }));
      throw new ApiError(400, 'invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
    }
    return document as Record<string, unknown>;
  }

  return async (app) => {
    app.get(
      '/v1/rules',
      { schema: { summary: 'Every detection rule with its parameters: defaults and your overrides', tags: ['rules'] } },
      async (request) => {
        const settings = JSON.parse((await documents.one(request.msp().mspId, 'detection')) ?? '{}') as {
          ruleParams?: Record<string, Record<string, unknown>>;
        };
        return {
          items: ALL_RULES.map((rule) => ({
            id: rule.id,
            name: rule.name,
            description: rule.description,
            severity: rule.severity,
            mitre: rule.mitre,
            reads: rule.reads,
            defaults: rule.params.parse({}) as Record<string, unknown>,
            overrides: settings.ruleParams?.[rule.id] ?? {},
          })),
        };
      },
    );

    app.get(
      '/v1/settings/detection',
      { schema: { summary: 'Your detection settings', tags: ['rules'] } },
      async (request) => JSON.parse((await documents.one(request.msp().mspId, 'detection')) ?? '{}') as unknown,
    );

    app.put(
      '/v1/settings/detection',
      {
        schema: {
          summary: 'Replace your detection settings: rule parameters, suppressions, countries, trusted ranges',
          tags: ['rules'],
          body: mspConfigSchema,
        },
      },
      async (request) => {
        const caller = request.caller();
        await documents.write(
          request.msp().mspId,
          'detection',
          JSON.stringify(request.body),
          caller.kind === 'msp' ? caller.keyId : 'platform',
        );
        return request.body;
      },
    );

    app.get(
      '/v1/settings/notifications',
      { schema: { summary: 'Your notification targets and routes, secrets hidden', tags: ['notifications'] } },
      async (request) => {
        const mspId = request.msp().mspId;
        const sealed = await documents.one(mspId, 'notification');
        if (!sealed) return {};
        if (!sealer) throw new ApiError(503, 'not_configured', 'security.encryptionKey is not set');
        return redacted(JSON.parse(sealer.open(sealed, notificationSettingsContext(mspId))));
      },
    );

    app.put(
      '/v1/settings/notifications',
      {
        schema: {
          summary: 'Replace your notification targets and routes (the format of the notifications file, one MSP)',
          tags: ['notifications'],
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request) => {
        const msp = request.msp();
        const body = await keepStoredSecrets(msp.mspId, request.body);
        try {
          parseNotifications(JSON.stringify({ msps: [{ ...body, id: msp.mspId }] }), 'body');
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          const fields = error.issues.map((problem) => {
            const [field, ...rest] = problem.replace(/^body: msps\.0\.?/, 'body.').split(': ');
            return { field: field ?? 'body', message: rest.join(': ') };
          });
          throw new ApiError(400, 'invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
        }
        if (!sealer)
          throw new ApiError(503, 'not_configured', 'security.encryptionKey is not set: secrets cannot be stored');
        const caller = request.caller();
        const document = JSON.stringify({ ...body, id: undefined });
        await documents.write(
          msp.mspId,
          'notification',
          sealer.seal(document, notificationSettingsContext(msp.mspId)),
          caller.kind === 'msp' ? caller.keyId : 'platform',
        );
        return redacted(body);
      },
    );
  };
}
