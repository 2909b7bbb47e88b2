import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@nightjar/config';
import { withLocalEncryptionKey } from './local-encryption-key.ts';

const configIn = (dataDir: string, env: Record<string, string> = {}) =>
  loadConfig({ env: { NIGHTJAR_DATA_DIR: dataDir, ...env } });

describe('the embedded mode without a configured encryption key', () => {
  it('generates one key into the data folder, readable by its owner only, and uses it on every later start', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'nj-key-')), 'data');
    const { config, warnings } = configIn(dataDir);
    expect(warnings).toEqual([]);
    const first = await withLocalEncryptionKey(config);
    const key = first.security.encryptionKey!.reveal();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const file = join(dataDir, 'encryption-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await withLocalEncryptionKey(configIn(dataDir).config);
    expect(again.security.encryptionKey!.reveal()).toBe(key);
  });

  it('refuses a key file that was damaged rather than sealing with a new key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nj-key-'));
    writeFileSync(join(dataDir, 'encryption-key'), 'not a key\n');
    await expect(withLocalEncryptionKey(configIn(dataDir).config)).rejects.toThrow(/encryption-key does not hold/);
  });

  it('leaves a configured key and the distributed mode alone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nj-key-'));
    const configured = Buffer.alloc(32, 7).toString('base64');
    const withKey = await withLocalEncryptionKey(
      configIn(dataDir, { NIGHTJAR_SECURITY_ENCRYPTION_KEY: configured }).config,
    );
    expect(withKey.security.encryptionKey!.reveal()).toBe(configured);
    const distributed = configIn(dataDir, {
      NIGHTJAR_MODE: 'distributed',
      NIGHTJAR_ROLES: 'collector',
      NIGHTJAR_KAFKA_BROKERS: 'k:9092',
      NIGHTJAR_REDIS_URL: 'redis://r:6379',
      NIGHTJAR_CLICKHOUSE_URL: 'http://ch:8123',
    });
    expect(distributed.warnings).toEqual([expect.stringContaining('security.encryptionKey is not set')]);
    expect((await withLocalEncryptionKey(distributed.config)).security.encryptionKey).toBeUndefined();
  });
});
