import { readFile } from 'node:fs/promises';
import type { NightjarConfig } from '@nightjar/config';
import {
  combinedTenantDirectory,
  createCollectorRole,
  feedCatalog,
  registeredTenantDirectory,
  staticTenantDirectory,
  tenantsFileDirectory,
  type CollectorRole,
  type TenantDirectory,
} from '@nightjar/collector';
import { ConfigError, createSealer, Secret, systemClock } from '@nightjar/core';
import type { HistoryStore } from '@nightjar/store';
import {
  createLocalBudget,
  createMicrosoftClients,
  createMicrosoftHttp,
  type MicrosoftEndpoints,
  type MicrosoftHttp,
} from '@nightjar/m365';
import type { Logger } from '@nightjar/runtime';
import type { RoleDefinition } from '../roles.ts';
import { acquireSimulatedEnvironment, releaseSimulatedEnvironment, usesSimulatedTenants } from '../simulated.ts';

const DAY_MS = 24 * 3_600_000;

interface MicrosoftSide {
  readonly endpoints: MicrosoftEndpoints;
  readonly directory: TenantDirectory;
  readonly publisherId: string;
  close(): Promise<void>;
}

/**
 * Real tenants from the tenants file and those onboarded through the API, or,
 * on the embedded default without either, simulated tenants served in-process.
 */
async function microsoftSide(config: NightjarConfig, log: Logger, store: HistoryStore): Promise<MicrosoftSide> {
  const { tenantsFile, publisherId } = config.collector;
  const { encryptionKey } = config.security;
  if (tenantsFile || (encryptionKey && !usesSimulatedTenants(config))) {
    const directories: TenantDirectory[] = [];
    if (tenantsFile) directories.push(tenantsFileDirectory(tenantsFile));
    if (encryptionKey)
      directories.push(
        registeredTenantDirectory(store, createSealer(encryptionKey), (tenant, error) =>
          log.warn(
            { ...tenant, err: error },
            'the stored secret of this tenant does not open; is security.encryptionKey the one it was sealed with?',
          ),
        ),
      );
    const caCertPem = config.microsoft.caCertFile ? await readFile(config.microsoft.caCertFile, 'utf8') : undefined;
    return {
      endpoints: {
        authority: config.microsoft.authorityUrl,
        graph: config.microsoft.graphUrl,
        management: config.microsoft.managementUrl,
        partnerCenter: config.microsoft.partnerCenterUrl,
        ...(caCertPem ? { caCertPem } : {}),
      },
      directory: combinedTenantDirectory(directories),
      publisherId: publisherId ?? '00000000-0000-0000-0000-000000000000',
      close: async () => undefined,
    };
  }
  if (!usesSimulatedTenants(config)) {
    throw new ConfigError([
      'collector.tenantsFile (NIGHTJAR_COLLECTOR_TENANTS_FILE) or security.encryptionKey (NIGHTJAR_SECURITY_ENCRYPTION_KEY, for tenants onboarded through the API): one is required for the collector in distributed mode',
    ]);
  }
  const { world, simulator, mspId } = await acquireSimulatedEnvironment(config, log);
  return {
    endpoints: { ...simulator.urls, caCertPem: simulator.caCertPem },
    directory: staticTenantDirectory(
      world.tenants().map((tenant) => ({
        mspId,
        tenantId: tenant.id,
        domain: tenant.domain,
        credentials: {
          tenantId: tenant.id,
          clientId: tenant.credentials.clientId,
          clientSecret: new Secret(tenant.credentials.clientSecret),
        },
      })),
      [{ mspId, credentials: { ...simulator.partner, clientSecret: new Secret(simulator.partner.clientSecret) } }],
    ),
    publisherId: simulator.partner.tenantId,
    close: releaseSimulatedEnvironment,
  };
}

export const collectorRole: RoleDefinition = {
  name: 'collector',
  // The store holds the tenants onboarded through the API.
  needs: ['bus', 'state', 'store'],
  create({ config, ports, log, metrics }) {
    let collector: CollectorRole | undefined;
    let http: MicrosoftHttp | undefined;
    let side: MicrosoftSide | undefined;
    return {
      name: 'collector',
      async start() {
        side = await microsoftSide(config, log, ports.store);
        http = createMicrosoftHttp({
          ...(side.endpoints.caCertPem ? { caCertPem: side.endpoints.caCertPem } : {}),
          userAgent: 'nightjar-collector',
        });
        const clients = createMicrosoftClients(side.endpoints, http, createLocalBudget(), side.publisherId);
        collector = createCollectorRole({
          bus: ports.bus,
          state: ports.state,
          directory: side.directory,
          feedsFor: feedCatalog(clients, {
            pollIntervalMs: config.collector.pollIntervalMs,
            backfillMs: config.collector.backfillDays * DAY_MS,
          }),
          naming: { prefix: config.kafka.topicPrefix, partitions: config.kafka.partitions },
          clock: systemClock,
          log,
          metrics,
          concurrency: config.collector.concurrency,
          leaseMs: config.collector.leaseMs,
        });
        await collector.start();
      },
      async stop() {
        await collector?.stop();
        await http?.close();
        await side?.close();
      },
      readiness: () => collector?.readiness() ?? [{ name: 'scheduler', ok: false, detail: 'starting' }],
    };
  },
};
