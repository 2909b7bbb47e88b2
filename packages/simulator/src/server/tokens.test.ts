import { describe, expect, it } from 'vitest';
import { TokenAuthority } from './tokens.ts';

describe('bearer tokens', () => {
  const authority = new TokenAuthority(60);
  const issuedAt = Date.UTC(2026, 2, 2, 9);
  const token = authority.issue('tenant-1', 'app-1', 'graph', issuedAt);

  it('carry the tenant, app, audience and expiry Entra puts in them', () => {
    expect(authority.verify(`Bearer ${token}`, 'graph', issuedAt + 59_000)).toMatchObject({
      tid: 'tenant-1',
      appid: 'app-1',
      aud: 'https://graph.microsoft.com',
      exp: issuedAt / 1000 + 60,
    });
  });

  it.each([
    ['missing', undefined, 'graph', issuedAt, 'Access token is empty.'],
    ['expired', `Bearer ${token}`, 'graph', issuedAt + 60_000, 'Access token has expired or is not yet valid.'],
    [
      'for another resource',
      `Bearer ${token}`,
      'management',
      issuedAt,
      'Invalid audience: https://graph.microsoft.com.',
    ],
    [
      'forged',
      `Bearer ${token.split('.').slice(0, 2).join('.')}.forged`,
      'graph',
      issuedAt,
      'Access token validation failure. Invalid signature.',
    ],
    [
      'from another simulator',
      `Bearer ${new TokenAuthority().issue('tenant-1', 'app-1', 'graph', issuedAt)}`,
      'graph',
      issuedAt,
      'Access token validation failure. Invalid signature.',
    ],
  ] as const)('are refused when %s', (_case, header, resource, now, reason) => {
    expect(authority.verify(header, resource, now)).toEqual({ refused: reason });
  });
});
