import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiKeys, buildApi } from '@nightjar/api';
import { createSealer } from '@nightjar/core';
import { MIGRATIONS_DIR } from '@nightjar/sink';
import { applyRetention, loadMigrations, migrate } from '@nightjar/store';
import type { RoleDefinition } from '../roles.ts';
import { usesSimulatedTenants } from '../simulated.ts';

const SIMULATED_MSP = 'simulated-msp';

export const apiRole: RoleDefinition = {
  name: 'api',
  needs: ['store'],
  create({ config, ports, log }) {
    let app: FastifyInstance | undefined;
    return {
      name: 'api',
      async start() {
        // The tables the API reads exist even before a sink has run.
        await migrate(ports.store, await loadMigrations(MIGRATIONS_DIR), { logger: log });
        const retention = await applyRetention(ports.store, config.clickhouse.retentionDays);
        if (retention.length > 0) log.info({ retention }, 'history retention set');
        app = await buildApi({
          store: ports.store,
          log: log.child({ component: 'api' }),
          ...(config.api.platformKey ? { platformKey: config.api.platformKey } : {}),
          rateLimitPerMinute: config.api.rateLimitPerMinute,
          failedAuthenticationsPerMinute: config.api.failedAuthenticationsPerMinute,
          ...(config.security.encryptionKey ? { sealer: createSealer(config.security.encryptionKey) } : {}),
        });
        const url = await app.listen({ host: config.api.host, port: config.api.port });
        const keyFile = usesSimulatedTenants(config) ? await simulatedKeyFile(ports.store, config.dataDir) : undefined;
        log.info({ api: url, docs: `${url}/docs`, ...(keyFile ? { keyFile } : {}) }, 'query API listening');
      },
      async stop() {
        await app?.close();
      },
      readiness: () => [{ name: 'http', ok: app?.server.listening ?? false }],
    };
  },
};

/**
 * The embedded default's simulated MSP gets an admin key on first start, kept
 * in a file only its owner reads (never in a log line).
 */
async function simulatedKeyFile(store: Parameters<typeof migrate>[0], dataDir: string): Promise<string> {
  const path = join(dataDir, 'api-key');
  const keys = new ApiKeys(store, undefined);
  const existing = await readFile(path, 'utf8').catch(() => '');
  if ((await keys.authenticate(existing.trim()))?.kind === 'msp') return path;
  const issued = await keys.issue(SIMULATED_MSP, 'admin', 'embedded default');
  await writeFile(path, `${issued.key}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
