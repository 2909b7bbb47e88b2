import { Command, Option } from '@commander-js/extra-typings';
import { createWorld } from '@nightjar/simulator';
import { evaluate, formatReport } from './eval.ts';

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`expected a positive integer (got "${value}")`);
  return parsed;
}

/** `nightjar eval`: the detection engine over the simulator's labelled scenarios, scored per rule and per detection. */
export const evalCommand = new Command('eval')
  .description("Run the detection engine over the simulator's scenarios and print precision, recall and delay per rule")
  .addOption(new Option('--tenants <n>', 'simulated tenants').default(5).argParser(count))
  .addOption(new Option('--days <n>', 'days of history').default(7).argParser(count))
  .addOption(new Option('--seed <n>', 'seed of the simulated world').default(7).argParser(count))
  .option('--json', 'print the report as JSON')
  .action(async (options) => {
    const world = createWorld({ seed: options.seed, tenants: options.tenants, days: options.days, scenarios: 'all' });
    const report = await evaluate(world);
    process.stdout.write(`${options.json ? JSON.stringify(report) : formatReport(report)}\n`);
  });
