import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@nightjar/config';
import { createLogger } from '@nightjar/runtime';
import { kafkaBrokers, redisUrl } from '@nightjar/testkit';
import { openPorts } from './adapters.ts';

const silent = createLogger({ level: 'silent', format: 'json', redact: [] });

describe('openPorts', () => {
  it('wires the in-process bus, in-memory state and chDB in embedded mode', async () => {
    const { config } = loadConfig({ env: { NIGHTJAR_DATA_DIR: mkdtempSync(join(tmpdir(), 'nightjar-ports-')) } });
    const opened = await openPorts(config, new Set(['bus', 'state', 'store']), silent);
    try {
      expect(opened.opened).toEqual({ bus: 'memory', state: 'memory', store: 'chdb' });
      expect(await opened.ports.store.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await opened.close();
    }
  });

  it('wires Kafka, Redis and a ClickHouse server in distributed mode, opening only what is needed', async () => {
    const { config } = loadConfig({
      env: {
        NIGHTJAR_MODE: 'distributed',
        NIGHTJAR_KAFKA_BROKERS: kafkaBrokers().join(','),
        NIGHTJAR_REDIS_URL: redisUrl(),
        NIGHTJAR_CLICKHOUSE_URL: 'http://127.0.0.1:1',
      },
    });
    const opened = await openPorts(config, new Set(['bus', 'state']), silent);
    try {
      expect(opened.opened).toEqual({ bus: 'kafka', state: 'redis' });
      expect(await opened.ports.state.ping()).toBe(true);
      expect(() => opened.ports.store).toThrow(/port "store" was not opened/);
    } finally {
      await opened.close();
    }
  });
});
