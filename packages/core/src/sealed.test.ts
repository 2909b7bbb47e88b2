import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Secret } from './secret.ts';
import { createSealer } from './sealed.ts';

const key = () => new Secret(randomBytes(32).toString('base64'));

describe('sealed secrets', () => {
  it('opens what it sealed, and the sealed text shows nothing of the secret', () => {
    const sealer = createSealer(key());
    const sealed = sealer.seal('client-secret~value', 'tenant-a');
    expect(sealed).not.toContain('client-secret');
    expect(sealer.open(sealed, 'tenant-a')).toBe('client-secret~value');
    expect(sealer.seal('same', 'tenant-a')).not.toBe(sealer.seal('same', 'tenant-a'));
  });

  it('refuses an altered text, another key and another context', () => {
    const sealer = createSealer(key());
    const sealed = sealer.seal('secret', 'tenant-a');
    const parts = sealed.split(':');
    const tampered = [...parts.slice(0, 3), Buffer.from('other!').toString('base64')].join(':');
    expect(() => sealer.open(tampered, 'tenant-a')).toThrow();
    expect(() => createSealer(key()).open(sealed, 'tenant-a')).toThrow();
    expect(() => sealer.open(sealed, 'tenant-b')).toThrow();
    expect(() => sealer.open('plain text', 'tenant-a')).toThrow('not a sealed secret');
  });

  it('wants a 32-byte key', () => {
    expect(() => createSealer(new Secret(randomBytes(16).toString('base64')))).toThrow(RangeError);
  });
});
