import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Secret } from './secret.ts';

const VERSION = 'v1';

/** Encrypts secrets kept at rest (tenant app secrets, mail credentials) with AES-256-GCM. */
export interface Sealer {
  seal(plaintext: string, context: string): string;
  /** Throws when the text was altered, sealed under another key or for another context. */
  open(sealed: string, context: string): string;
}

/**
 * `key` is the base64 of 32 random bytes. `context` (for example the tenant
 * id) is authenticated with the ciphertext, so a sealed secret copied onto
 * another row does not open.
 */
export function createSealer(key: Secret): Sealer {
  const bytes = Buffer.from(key.reveal(), 'base64');
  if (bytes.length !== 32) throw new RangeError('the sealing key must be 32 bytes, base64-encoded');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', bytes, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
        ':',
      );
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', bytes, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** What a tenant's sealed app secret is bound to: it opens only on its own MSP's row for its own tenant. */
export const tenantSecretContext = (mspId: string, tenantId: string): string =>
  `tenant-registration/${mspId}/${tenantId}`;

/** What an MSP's sealed notification settings are bound to. */
export const notificationSettingsContext = (mspId: string): string => `msp-settings/notification/${mspId}`;
