import { join } from 'node:path';
import type { NightjarConfig } from '@nightjar/config';
import type { EventBus } from '@nightjar/bus';
import type { StateStore } from '@nightjar/state';
import type { HistoryStore } from '@nightjar/store';
import type { Logger, Registry } from '@nightjar/runtime';
import { withConsumerLag } from './consumer-lag.ts';

export interface Ports {
  readonly bus: EventBus;
  readonly state: StateStore;
  readonly store: HistoryStore;
}

export interface OpenedPorts {
  /** Only the ports some selected role needs are opened; the others throw when used. */
  readonly ports: Ports;
  readonly opened: Partial<Record<keyof Ports, string>>;
  close(): Promise<void>;
}

/**
 * The only place that chooses adapters: embedded mode gets the in-process
 * bus, in-memory state and chDB; distributed mode Kafka, Redis and a
 * ClickHouse server. Roles never know which. Adapters are imported lazily so
 * a process loads only the clients it uses (chDB alone is a large native module).
 */
export async function openPorts(
  config: NightjarConfig,
  needs: ReadonlySet<keyof Ports>,
  log: Logger,
  /** When given, the bus reports its subscriptions' lag there. */
  metrics?: Registry,
): Promise<OpenedPorts> {
  const opened: { -readonly [K in keyof Ports]?: Ports[K] } = {};
  const kinds: Partial<Record<keyof Ports, string>> = {};
  try {
    if (needs.has('bus')) {
      opened.bus =
        config.bus === 'kafka'
          ? (await import('@nightjar/bus/kafka')).createKafkaBus({
              brokers: config.kafka.brokers,
              clientId: config.kafka.clientId,
              sessionTimeoutMs: config.kafka.sessionTimeoutMs,
              ...(config.kafka.transactionalId ? { transactionalId: config.kafka.transactionalId } : {}),
              logger: log.child({ component: 'kafka' }),
              ...kafkaSecurity(config),
            })
          : (await import('@nightjar/bus/memory')).createMemoryBus({
              // Kept beside chDB's data, so a restart resumes from the collectors' checkpoints.
              journalPath: join(config.dataDir, 'bus.journal'),
            });
      kinds.bus = opened.bus.kind;
      if (metrics) opened.bus = withConsumerLag(opened.bus, metrics);
    }
    if (needs.has('state')) {
      opened.state =
        config.state === 'redis'
          ? (await import('@nightjar/state/redis')).createRedisState({
              url: config.redis.url!.reveal(),
              keyPrefix: config.redis.keyPrefix,
            })
          : (await import('@nightjar/state/memory')).createMemoryState({
              // Written on a clean stop and read back on start, so detection windows survive a restart.
              snapshotPath: join(config.dataDir, 'state.json'),
            });
      kinds.state = opened.state.kind;
    }
    if (needs.has('store')) {
      opened.store =
        config.store === 'clickhouse'
          ? (await import('@nightjar/store/clickhouse')).createClickHouseStore({
              url: config.clickhouse.url!,
              username: config.clickhouse.username,
              database: config.clickhouse.database,
              ...(config.clickhouse.password ? { password: config.clickhouse.password } : {}),
            })
          : await (await import('@nightjar/store/chdb')).createChdbStore({ path: join(config.dataDir, 'chdb') });
      kinds.store = opened.store.kind;
    }
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
  return {
    ports: new Proxy(opened as Ports, {
      get(target, key: keyof Ports) {
        const port = target[key];
        if (!port) throw new Error(`port "${String(key)}" was not opened: the role using it must list it in needs`);
        return port;
      },
    }),
    opened: kinds,
    close: () => closeAll(opened),
  };
}

async function closeAll(opened: Partial<Ports>): Promise<void> {
  await Promise.allSettled([opened.bus?.close(), opened.state?.close(), opened.store?.close()]);
}

function kafkaSecurity(config: NightjarConfig): {
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
} {
  const { ssl, saslMechanism, saslUsername, saslPassword } = config.kafka;
  if (saslMechanism === 'none') return { ssl };
  return {
    ssl,
    sasl: { mechanism: saslMechanism, username: saslUsername ?? '', password: saslPassword?.reveal() ?? '' },
  };
}
