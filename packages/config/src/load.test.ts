import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nightjar/core';
import { listSettings, loadConfig } from './index.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to embedded mode with in-process adapters', () => {
    const { config } = loadConfig({ env: {} });
    expect(config).toMatchObject({ mode: 'embedded', bus: 'memory', state: 'memory', store: 'chdb', roles: ['all'] });
    expect(config.admin.port).toBe(9464);
  });

  it('resolves distributed adapters and reads settings from their environment variables', () => {
    const { config } = loadConfig({
      env: {
        NIGHTJAR_MODE: 'distributed',
        NIGHTJAR_KAFKA_BROKERS: 'k1:9092, k2:9092',
        NIGHTJAR_REDIS_URL: 'redis://:hunter2@redis:6379',
        NIGHTJAR_CLICKHOUSE_URL: 'http://clickhouse:8123',
        NIGHTJAR_ADMIN_PORT: '9555',
        NIGHTJAR_SECURITY_ENCRYPTION_KEY: KEY,
      },
    });
    expect(config).toMatchObject({ bus: 'kafka', state: 'redis', store: 'clickhouse' });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.admin.port).toBe(9555);
    expect(config.redis.url?.reveal()).toBe('redis://:hunter2@redis:6379');
  });

  it('names the bad setting and its environment variable', () => {
    const error = configError(() => loadConfig({ env: { NIGHTJAR_ADMIN_PORT: 'ninety' } }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatch(/^admin\.port \(NIGHTJAR_ADMIN_PORT\)/);
  });

  it('reports every missing server address of distributed mode at once', () => {
    const error = configError(() => loadConfig({ env: { NIGHTJAR_MODE: 'distributed' } }));
    expect(error.issues.map((issue) => issue.split(' ')[0])).toEqual(['kafka.brokers', 'redis.url', 'clickhouse.url']);
  });

  it('rejects unknown keys in the file and names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightjar-config-'));
    const file = join(dir, 'nightjar.yaml');
    writeFileSync(file, 'mode: embedded\nkafak:\n  brokers: [a:1]\n');
    const error = configError(() => loadConfig({ file, env: {} }));
    expect(error.message).toContain('kafak');
    expect(error.message).toContain(file);
  });

  it('lets the environment win over the file and the command line win over both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nightjar-config-'));
    const file = join(dir, 'nightjar.yaml');
    writeFileSync(file, 'log:\n  level: debug\nadmin:\n  port: 9000\n');
    const { config } = loadConfig({ file, env: { NIGHTJAR_ADMIN_PORT: '9001' }, overrides: { 'log.level': 'warn' } });
    expect(config.admin.port).toBe(9001);
    expect(config.log.level).toBe('warn');
  });

  it('refuses an encryption key that is not 32 bytes', () => {
    const error = configError(() => loadConfig({ env: { NIGHTJAR_SECURITY_ENCRYPTION_KEY: 'c2hvcnQ=' } }));
    expect(error.issues[0]).toContain('NIGHTJAR_SECURITY_ENCRYPTION_KEY');
  });

  it('warns about NIGHTJAR_ variables that are not settings', () => {
    const { warnings } = loadConfig({ env: { NIGHTJAR_KAFKA_BROKER: 'x', NIGHTJAR_SECURITY_ENCRYPTION_KEY: KEY } });
    expect(warnings).toEqual([expect.stringContaining('NIGHTJAR_KAFKA_BROKER is set but is not a Nightjar setting')]);
  });

  it('warns when a detector or notifier keeps its own chDB, which API settings never reach', () => {
    const distributed = {
      NIGHTJAR_MODE: 'distributed',
      NIGHTJAR_STORE: 'chdb',
      NIGHTJAR_KAFKA_BROKERS: 'k:9092',
      NIGHTJAR_REDIS_URL: 'redis://r:6379',
      NIGHTJAR_SECURITY_ENCRYPTION_KEY: KEY,
    };
    const warningsFor = (roles: string) => loadConfig({ env: { ...distributed, NIGHTJAR_ROLES: roles } }).warnings;
    expect(warningsFor('detector')).toEqual([
      expect.stringContaining('settings changed through the API will not reach'),
    ]);
    expect(warningsFor('notifier,collector')).toHaveLength(1);
    expect(warningsFor('sink,api')).toEqual([]);
    expect(warningsFor('all')).toEqual([]);
    expect(
      loadConfig({
        env: {
          ...distributed,
          NIGHTJAR_ROLES: 'detector',
          NIGHTJAR_STORE: 'clickhouse',
          NIGHTJAR_CLICKHOUSE_URL: 'http://ch:8123',
        },
      }).warnings,
    ).toEqual([]);
  });

  it('never shows a secret when the configuration is serialised', () => {
    const { config } = loadConfig({
      env: { NIGHTJAR_KAFKA_SASL_PASSWORD: 'p4ssw0rd', NIGHTJAR_SECURITY_ENCRYPTION_KEY: KEY },
    });
    const printed = JSON.stringify(config);
    expect(printed).not.toContain('p4ssw0rd');
    expect(printed).not.toContain(KEY);
  });
});

describe('listSettings', () => {
  it('gives every leaf setting a unique NIGHTJAR_ variable and marks secrets', () => {
    const settings = listSettings();
    const names = settings.map((setting) => setting.env);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('NIGHTJAR_KAFKA_BROKERS');
    expect(settings.filter((setting) => setting.secret).map((setting) => setting.path)).toEqual(
      expect.arrayContaining(['kafka.saslPassword', 'redis.url', 'clickhouse.password', 'security.encryptionKey']),
    );
  });
});
