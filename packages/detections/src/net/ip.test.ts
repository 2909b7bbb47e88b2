import { describe, expect, it } from 'vitest';
import { cidrSet, normalizeIp } from './ip.ts';

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:50123', '203.0.113.7'],
    ['[2001:DB8::1]:443', '2001:db8::1'],
    ['::ffff:198.51.100.4', '198.51.100.4'],
    ['x.x.x.XXX', null],
    ['mail.example.com', null],
    ['', null],
    [null, null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeIp(raw)).toBe(expected);
  });
});

describe('cidrSet', () => {
  const set = cidrSet(['203.0.113.0/25', '2001:db8:aa::/48', '198.51.100.9']);
  it.each([
    ['203.0.113.100', true],
    ['203.0.113.200', false],
    ['::ffff:203.0.113.5', true],
    ['2001:db8:aa:1::7', true],
    ['2001:db8:ab::7', false],
    ['198.51.100.9', true],
    ['198.51.100.10', false],
    ['x.x.x.XXX', false],
  ])('%s in set: %s', (ip, expected) => {
    expect(set.has(ip)).toBe(expected);
  });

  it('rejects malformed ranges when settings are written', () => {
    expect(() => cidrSet(['203.0.113.0/33'])).toThrow('bad prefix');
    expect(() => cidrSet(['not-an-ip/8'])).toThrow('not an IP range');
  });
});
