import { Command, Option } from '@commander-js/extra-typings';
import { ConfigError } from '@nightjar/core';
import {
  createWorld,
  loadRecordsFromFiles,
  loadScenarioFile,
  SCENARIOS,
  startSimulator,
  type ReplayFeed,
} from '@nightjar/simulator';

const HOUR_MS = 3_600_000;

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new ConfigError([`--${name}: must be an integer from ${min} to ${max} (got "${value}")`]);
    return parsed;
  };
}

/**
 * `nightjar sim`: the Microsoft 365 simulator on its own. Prints one line of
 * JSON (its URLs, CA and tenants) on stdout once it listens; everything else
 * goes to stderr, so scripts can read the first line.
 */
export const simCommand = new Command('sim')
  .description(
    'Serve simulated Microsoft 365 tenants over HTTPS (Entra ID, Graph, Management Activity API, Partner Center)',
  )
  .addOption(new Option('--tenants <n>', 'number of tenants').default(5).argParser(integer('tenants', 1, 500)))
  .addOption(new Option('--days <n>', 'days of history').default(30).argParser(integer('days', 1, 30)))
  .addOption(
    new Option('--seed <n>', 'seed: same seed and start, same data').default(7).argParser(integer('seed', 0, 2 ** 31)),
  )
  .option(
    '--scenario <names>',
    `scenarios to inject: all, none, or a comma-separated list (${SCENARIOS.length} known)`,
    'all',
  )
  .option('--scenario-file <path>', 'YAML or JSON file of scenario requests to inject as well')
  .option('--start-at <iso>', 'simulated time at which the history ends (default: the current hour)')
  .addOption(
    new Option('--clock-factor <x>', 'simulated seconds per real second afterwards').default(1).argParser(Number),
  )
  .addOption(
    new Option('--throttle-scale <x>', "multiplies Microsoft's throttling budgets (0: off)")
      .default(1)
      .argParser(Number),
  )
  .option(
    '--replay <spec...>',
    'serve records from files: <tenant-index>:<feed>:<path>, feed signIns, directoryAudits or a content type',
  )
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .addOption(new Option('--port <n>', 'port (0: any free one)').default(0).argParser(integer('port', 0, 65_535)))
  .action(async (options) => {
    const startAt = options.startAt ? Date.parse(options.startAt) : Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    if (Number.isNaN(startAt)) throw new ConfigError([`--start-at: not a date (got "${options.startAt}")`]);
    const scenarios =
      options.scenario === 'all' || options.scenario === 'none' ? options.scenario : options.scenario.split(',');
    const world = createWorld({ seed: options.seed, tenants: options.tenants, days: options.days, startAt, scenarios });
    for (const request of options.scenarioFile ? loadScenarioFile(options.scenarioFile) : []) world.inject(request);
    for (const spec of options.replay ?? []) {
      const [index, feed, ...path] = spec.split(':');
      const tenant = world.tenants()[Number(index)];
      if (!tenant || !feed || path.length === 0)
        throw new ConfigError([`--replay: expected <tenant-index>:<feed>:<path> (got "${spec}")`]);
      const count = loadRecordsFromFiles(world, {
        tenantId: tenant.id,
        feed: feed as ReplayFeed,
        files: [path.join(':')],
      });
      process.stderr.write(`replaying ${count} ${feed} records as tenant ${tenant.domain}\n`);
    }
    const simulator = await startSimulator({
      world,
      host: options.host,
      port: options.port,
      clockFactor: options.clockFactor,
      throttleScale: options.throttleScale,
    });
    process.stdout.write(
      `${JSON.stringify({
        authority: simulator.urls.authority,
        graph: simulator.urls.graph,
        management: simulator.urls.management,
        partnerCenter: simulator.urls.partnerCenter,
        admin: simulator.urls.admin,
        slack: simulator.urls.slack,
        telegram: simulator.urls.telegram,
        caCert: simulator.caCertPath,
        partner: simulator.partner,
        tenants: world.tenants().map((tenant) => ({
          id: tenant.id,
          domain: tenant.domain,
          clientId: tenant.credentials.clientId,
          clientSecret: tenant.credentials.clientSecret,
          licences: tenant.licences,
        })),
      })}\n`,
    );
    process.stderr.write(
      `simulator listening at ${simulator.urls.authority}; labels at ${simulator.urls.admin}/labels; Ctrl-C stops it\n`,
    );
    const stop = (): void => {
      void simulator.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
