import { readFile } from 'node:fs/promises';
import { envNameFor, type NightjarConfig } from '@nightjar/config';
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
  /** Undefined when neither the setting nor a partner tenant names the MSP's tenant. */
  readonly publisherId: string | undefined;
  close(): Promise<void>;
}

const PUBLISHER_SETTING = `collector.publisherId (${envNameFor('collector.publisherId')})`;

/**
 * The PublisherIdentifier sent on every Management Activity call: it keys the
 * throttling pool, and Microsoft wants the MSP's own tenant (m365 contract
 * §8.2, §8.4). Without the setting, the MSP's partner tenant from the tenants
 * file stands in. Without either the parameter is left out, which puts the
 * calls in the pool every caller without one shares: said once, at start.
 */
export async function resolvePublisherId(
  configured: string | undefined,
  directory: TenantDirectory,
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<string | undefined> {
  if (configured) return configured;
  let partnerTenants: string[] = [];
  try {
    partnerTenants = [...new Set((await directory.partners()).map((partner) => partner.credentials.tenantId))];
  } catch (error) {
    log.warn({ err: error }, 'could not read the partner tenants to choose a PublisherIdentifier');
  }
  const [chosen] = partnerTenants;
  if (chosen === undefined) {
    log.warn(
      { setting: PUBLISHER_SETTING },
      `${PUBLISHER_SETTING} is not set and no partner tenant is configured: Management Activity calls go without a PublisherIdentifier and share Microsoft's common throttling pool; set it to the MSP's tenant GUID`,
    );
    return undefined;
  }
  if (partnerTenants.length > 1) {
    log.warn(
      { setting: PUBLISHER_SETTING, publisherId: chosen, partnerTenants },
      `${PUBLISHER_SETTING} is not set and the tenants file names several partner tenants: the first is sent as PublisherIdentifier for all; set it to choose`,
    );
  } else {
    log.info(
      { publisherId: chosen },
      `PublisherIdentifier is the partner tenant of the tenants file (${PUBLISHER_SETTING} is not set)`,
    );
  }
  return chosen;
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
    const directory = combinedTenantDirectory(directories);
    return {
      endpoints: {
        authority: config.microsoft.authorityUrl,
        graph: config.microsoft.graphUrl,
        management: config.microsoft.managementUrl,
        partnerCenter: config.microsoft.partnerCenterUrl,
        ...(caCertPem ? { caCertPem } : {}),
      },
      directory,
      publisherId: await resolvePublisherId(publisherId, directory, log),
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
        const clients = createMicrosoftClients(side.endpoints, http, createLocalBudget(), side.publisherId, { log });
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
