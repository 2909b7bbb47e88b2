import { Command, Option } from '@commander-js/extra-typings';
import { loadConfig } from '@nightjar/config';
import { encodeEvent, type EventKind } from '@nightjar/events';
import { createLogger } from '@nightjar/runtime';
import { loadMigrations, migrate } from '@nightjar/store';
import { MIGRATIONS_DIR, TABLES, toRow } from '@nightjar/sink';
import { openPorts } from './adapters.ts';
import { replayFiles, type ReplayedEvent } from './replay.ts';
import { eventTopic, eventTopicSpecs } from './roles/topics.ts';

/**
 * `nightjar replay`: exported logs through the normalizers, into the
 * configured bus (Kafka in distributed mode) or, on the embedded default,
 * straight into the embedded history store.
 */
export const replayCommand = new Command('replay')
  .description('Normalize exported Microsoft 365 records from files and publish them like collected ones')
  .requiredOption(
    '-f, --file <path...>',
    'files: Graph JSON pages or arrays, Management API blobs, NDJSON, Entra CSV/JSON exports',
  )
  .addOption(
    new Option('--feed <feed>', 'what the files hold (detected per record when omitted)').choices([
      'signins',
      'directory',
      'audit',
      'devices',
      'subscriptions',
    ] as const),
  )
  .option('--tenant <id>', 'tenant id, when the records do not carry it')
  .option('--msp <id>', 'MSP the records belong to', 'replay')
  .option('--events-out <file>', 'also write every normalized event as one JSON object per line')
  .action(async (options, command) => {
    const parent = command.parent?.opts() as { config?: string } | undefined;
    const { config } = loadConfig({ ...(parent?.config ? { file: parent.config } : {}) });
    const log = createLogger({ level: 'warn', format: config.log.format, redact: [] });
    const embedded = config.bus === 'memory';
    const opened = await openPorts(config, new Set(embedded ? ['store'] : ['bus']), log);
    try {
      let emit: (events: readonly ReplayedEvent[]) => Promise<void>;
      if (embedded) {
        await migrate(opened.ports.store, await loadMigrations(MIGRATIONS_DIR));
        emit = async (events) => {
          for (const [kind, group] of groupByKind(events)) {
            await opened.ports.store.insert(
              TABLES[kind],
              group.map((item) => toRow(kind, item.event as never)),
            );
          }
        };
      } else {
        await opened.ports.bus.ensureTopics(eventTopicSpecs(config));
        emit = async (events) => {
          for (const [kind, group] of groupByKind(events)) {
            await opened.ports.bus.publish(
              eventTopic(config, kind),
              group.map((item) => encodeEvent(item)),
            );
          }
        };
      }
      const report = await replayFiles(
        options.file,
        {
          mspId: options.msp,
          ...(options.feed ? { feed: options.feed } : {}),
          ...(options.tenant ? { tenantId: options.tenant } : {}),
          ...(options.eventsOut ? { eventsOut: options.eventsOut } : {}),
        },
        emit,
      );
      for (const rejected of report.rejected.slice(0, 20))
        process.stderr.write(`rejected ${rejected.location}: ${rejected.reason}\n`);
      if (report.rejected.length > 20) process.stderr.write(`… and ${report.rejected.length - 20} more rejected\n`);
      const where = embedded ? `the embedded store in ${config.dataDir}` : `Kafka topics ${config.kafka.topicPrefix}*`;
      process.stdout.write(
        `${JSON.stringify({ read: report.read, normalized: report.normalized, rejected: report.rejected.length, byKind: report.byKind, into: where })}\n`,
      );
    } finally {
      await opened.close();
    }
  });

function groupByKind(events: readonly ReplayedEvent[]): Map<EventKind, ReplayedEvent[]> {
  const groups = new Map<EventKind, ReplayedEvent[]>();
  for (const item of events) groups.set(item.kind, [...(groups.get(item.kind) ?? []), item]);
  return groups;
}
