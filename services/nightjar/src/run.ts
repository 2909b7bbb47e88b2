import { join } from 'node:path';
import type { NightjarConfig } from '@nightjar/config';
import { redactPaths } from '@nightjar/config';
import { createLogger, createMetricsRegistry, installShutdown, RoleRunner, startAdminServer } from '@nightjar/runtime';
import type { Logger, Registry } from '@nightjar/runtime';
import { openPorts, type Ports } from './adapters.ts';
import { withLocalEncryptionKey } from './local-encryption-key.ts';
import { selectRoles } from './roles.ts';
import { eventTopic } from './roles/topics.ts';
import { startRunSummary, type RunSummary, type RunSummaryHandle } from './run-summary.ts';
import { acquireSimulatedEnvironment, releaseSimulatedEnvironment, usesSimulatedTenants } from './simulated.ts';
import { VERSION } from './version.ts';

export interface RunningProcess {
  readonly adminUrl: string;
  readonly roles: readonly string[];
  readonly adapters: Partial<Record<keyof Ports, string>>;
  /** On simulated tenants: resolves with the run's summary once the attacks have played out. */
  readonly summary?: Promise<RunSummary>;
  stop(): Promise<void>;
}

/**
 * The process composition root: one logger, one metrics registry, the ports
 * the selected roles need, the roles, the admin server, signal handling.
 */
export async function runProcess(
  configured: NightjarConfig,
  warnings: readonly string[],
  log?: Logger,
): Promise<RunningProcess> {
  const config = await withLocalEncryptionKey(configured);
  const definitions = selectRoles(config.roles);
  const roleNames = definitions.map((definition) => definition.name);
  const logger =
    log ??
    createLogger({
      level: config.log.level,
      format: config.log.format,
      redact: redactPaths(),
      base: { version: VERSION },
    });
  for (const warning of warnings) logger.warn(warning);
  const metrics = createMetricsRegistry({ version: VERSION, roles: roleNames });

  const needs = new Set(definitions.flatMap((definition) => definition.needs));
  const opened = await openPorts(config, needs, logger, metrics);
  const roles = definitions.map((definition) =>
    definition.create({ config, ports: opened.ports, log: logger.child({ role: definition.name }), metrics }),
  );
  const runner = new RoleRunner(roles, logger);
  let stopping = false;
  const admin = await startAdminServer({
    host: config.admin.host,
    port: config.admin.port,
    registry: metrics,
    readiness: () => (stopping ? [{ name: 'runtime', ok: false, detail: 'shutting down' }] : runner.readiness()),
  });
  try {
    await runner.start();
  } catch (error) {
    await admin.server.close();
    await opened.close();
    throw error;
  }
  logger.info(
    { mode: config.mode, roles: roleNames, adapters: opened.opened, admin: admin.url },
    roleNames.length > 0 ? `nightjar running: ${roleNames.join(', ')}` : 'nightjar running with no roles',
  );
  const summary = await watchSimulatedRun(config, roleNames, opened.ports, metrics, logger);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Readiness turns 503 first so load balancers stop sending work before the drain.
      stopping = true;
      if (summary) {
        await summary.stop();
        await releaseSimulatedEnvironment();
      }
      await runner.stop();
      await opened.close();
      await admin.server.close();
      logger.info('nightjar stopped');
    })();
    return stopped;
  };
  return {
    adminUrl: admin.url,
    roles: roleNames,
    adapters: opened.opened,
    stop,
    ...(summary ? { summary: summary.done } : {}),
  };
}

/**
 * On simulated tenants with the collector and detector in this process (the
 * embedded default), a summary of the run against the world's ground truth
 * once its attacks have played out.
 */
async function watchSimulatedRun(
  config: NightjarConfig,
  roleNames: readonly string[],
  ports: Ports,
  metrics: Registry,
  log: Logger,
): Promise<RunSummaryHandle | undefined> {
  if (!usesSimulatedTenants(config) || !roleNames.includes('collector') || !roleNames.includes('detector')) {
    return undefined;
  }
  const { world } = await acquireSimulatedEnvironment(config, log);
  const footer: string[] = [];
  if (roleNames.includes('api') && config.api.port !== 0) {
    const host = config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host;
    const api = `http://${host}:${config.api.port}`;
    const keyFile = join(config.dataDir, 'api-key');
    footer.push(
      `query API: ${api} (docs ${api}/docs); its admin key is in ${keyFile}:`,
      `  curl -H "authorization: Bearer $(cat ${keyFile})" ${api}/v1/alerts`,
    );
  }
  return startRunSummary({
    bus: ports.bus,
    topicOf: (kind) => eventTopic(config, kind),
    labels: () => world.labels(),
    collectionSettled: () => collectionSettled(metrics),
    log: log.child({ component: 'summary' }),
    footer,
  });
}

export async function runUntilSignal(config: NightjarConfig, warnings: readonly string[]): Promise<void> {
  const log = createLogger({
    level: config.log.level,
    format: config.log.format,
    redact: redactPaths(),
    base: { version: VERSION },
  });
  const running = await runProcess(config, warnings, log);
  installShutdown({ log, gracePeriodMs: config.shutdown.gracePeriodMs, onSignal: () => running.stop() });
}

/** Every feed of every tenant the collector runs has read up to the present once, or is failing (refused). */
async function collectionSettled(metrics: Registry): Promise<boolean> {
  const caughtUp = await metrics.getSingleMetric('nightjar_collector_caught_up')?.get();
  const failing = await metrics.getSingleMetric('nightjar_collector_consecutive_failures')?.get();
  if (!caughtUp || !failing || caughtUp.values.length === 0) return false;
  const key = (labels: Partial<Record<string, string | number>>): string => `${labels.tenant}/${labels.feed}`;
  const failingNow = new Set(failing.values.filter((value) => value.value > 0).map((value) => key(value.labels)));
  return caughtUp.values.every((value) => value.value === 1 || failingNow.has(key(value.labels)));
}
