import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NightjarConfig } from '@nightjar/config';
import { Secret } from '@nightjar/core';

/**
 * The embedded mode keeps everything in its data folder, so without a
 * configured key it keeps one there too (only its owner reads it): tenants
 * and notification secrets added through the API are then sealed from the
 * first run, and later runs open them. Distributed processes must share a
 * key and get it from their configuration.
 */
export async function withLocalEncryptionKey(config: NightjarConfig): Promise<NightjarConfig> {
  if (config.mode !== 'embedded' || config.security.encryptionKey) return config;
  const path = join(config.dataDir, 'encryption-key');
  let key = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (Buffer.from(key, 'base64').length !== 32) {
    if (key !== '')
      throw new Error(`${path} does not hold the base64 of 32 bytes; restore it or set security.encryptionKey`);
    key = randomBytes(32).toString('base64');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600);
  }
  return { ...config, security: { ...config.security, encryptionKey: new Secret(key) } };
}
