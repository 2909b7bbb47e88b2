import type { NightjarConfig } from '@nightjar/config';
import { redactPaths } from '@nightjar/config';
import { createLogger, createMetricsRegistry, installShutdown, RoleRunner, startAdminServer } from '@nightjar/runtime';
import type { Logger } from '@nightjar/runtime';
import { openPorts, type Ports } from './adapters.ts';
import { selectRoles } from './roles.ts';
import { VERSION } from './version.ts';

export interface RunningProcess {
  readonly adminUrl: string;
  readonly roles: readonly string[];
  readonly adapters: Partial<Record<keyof Ports, string>>;
  stop(): Promise<void>;
}

/**
 * The process composition root: one logger, one metrics registry, the ports
 * the selected roles need, the roles, the admin server, signal handling.
 */
export async function runProcess(
  config: NightjarConfig,
  warnings: readonly string[],
  log?: Logger,
): Promise<RunningProcess> {
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
  const opened = await openPorts(config, needs, logger);
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

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      // Readiness turns 503 first so load balancers stop sending work before the drain.
      stopping = true;
      await runner.stop();
      await opened.close();
      await admin.server.close();
      logger.info('nightjar stopped');
    })();
    return stopped;
  };
  return { adminUrl: admin.url, roles: roleNames, adapters: opened.opened, stop };
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
