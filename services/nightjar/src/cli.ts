import { Command, Option } from '@commander-js/extra-typings';
import { ConfigError, errorMessage } from '@nightjar/core';
import { configJsonSchema, listSettings, loadConfig, ROLE_NAMES, type LoadedConfig } from '@nightjar/config';
import { runUntilSignal } from './run.ts';
import { evalCommand } from './eval-command.ts';
import { replayCommand } from './replay-command.ts';
import { simCommand } from './sim-command.ts';
import { VERSION } from './version.ts';

/** Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error. */
const EXIT_RUNTIME = 1;
const EXIT_USAGE = 2;

const program = new Command()
  .name('nightjar')
  .description('Streaming detection engine for the Microsoft 365 tenants of managed-service providers')
  .version(VERSION)
  .option('-c, --config <file>', 'YAML configuration file (default: $NIGHTJAR_CONFIG)')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE));

function load(overrides: Record<string, unknown> = {}): LoadedConfig {
  const file = program.opts().config;
  return loadConfig({ ...(file ? { file } : {}), overrides });
}

program
  .command('run')
  .description('Run a set of roles in this process until SIGTERM or SIGINT')
  .addOption(
    new Option('-r, --roles <roles>', `comma-separated roles: ${ROLE_NAMES.join(', ')}, or all`).argParser((value) =>
      value.split(',').map((role) => role.trim()),
    ),
  )
  .addOption(new Option('-m, --mode <mode>', 'embedded or distributed').choices(['embedded', 'distributed'] as const))
  .action(async (options) => {
    const loaded = load({ roles: options.roles, mode: options.mode });
    await runUntilSignal(loaded.config, loaded.warnings);
  });

const config = program.command('config').description('Inspect and validate configuration');
config
  .command('check')
  .description('Validate the configuration (file and environment) and report every problem')
  .action(() => {
    const { warnings } = load();
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write('configuration is valid\n');
  });
config
  .command('print')
  .description('Print the effective configuration, secrets shown as ***')
  .action(() => {
    process.stdout.write(`${JSON.stringify(load().config, null, 2)}\n`);
  });
config
  .command('schema')
  .description('Print the JSON Schema of the configuration file')
  .action(() => {
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });
config
  .command('settings')
  .description('List every setting with its environment variable and default')
  .action(() => {
    for (const setting of listSettings()) {
      const shown = setting.default === undefined ? '' : ` (default ${JSON.stringify(setting.default)})`;
      process.stdout.write(`${setting.env}\t${setting.path}${shown}${setting.secret ? ' [secret]' : ''}\n`);
    }
  });

program.addCommand(simCommand);
program.addCommand(replayCommand);
program.addCommand(evalCommand);

program
  .command('health')
  .description("Exit 0 when this host's admin server answers /healthz (for container HEALTHCHECK)")
  .option('--url <url>', 'admin base URL', 'http://127.0.0.1:9464')
  .action(async (options) => {
    const response = await fetch(new URL('/healthz', options.url), { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
    process.stdout.write('ok\n');
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`nightjar: ${error.message}\n`);
    process.exit(EXIT_USAGE);
  }
  process.stderr.write(`nightjar: ${errorMessage(error)}\n`);
  process.exit(EXIT_RUNTIME);
}
