import { describe, expect, it } from 'vitest';
import { cmdlet } from './fixtures.ts';
import { addressesIn, internalDomains, isInternal, parameters } from './shared.ts';

describe('mail helpers', () => {
  it.each([
    ['smtp:x@evil.example', ['x@evil.example']],
    ['SMTP:a@b.example;smtp:C@D.example', ['a@b.example', 'c@d.example']],
    ['"Drop Box" [SMTP:drop@evil.example]', ['drop@evil.example']],
    ['', []],
    ['Ana Ruiz', []],
  ])('addressesIn(%j)', (value, expected) => {
    expect(addressesIn(value)).toEqual(expected);
  });

  it('treats subdomains and onmicrosoft.com as internal, look-alikes as external', () => {
    const domains = new Set(['fabrikam.example']);
    expect(isInternal('a@sales.fabrikam.example', domains)).toBe(true);
    expect(isInternal('a@fabrikam.onmicrosoft.com', domains)).toBe(true);
    expect(isInternal('a@fabrikam.example.evil.example', domains)).toBe(false);
    expect(isInternal('a@notfabrikam.example', domains)).toBe(false);
  });

  it('reads JSON-encoded cmdlet parameters case-insensitively and adds the actor and mailbox domains', () => {
    const event = cmdlet('Set-Mailbox', { Identity: 'lee@northwind.example', ForwardingSmtpAddress: 'x@y.example' });
    const values = parameters(event);
    expect(values.get('forwardingsmtpaddress')).toBe('x@y.example');
    expect([...internalDomains(event, ['Tailspin.example'], [], values.get('identity'))].sort()).toEqual([
      'fabrikam.example',
      'northwind.example',
      'tailspin.example',
    ]);
    expect(parameters({ ...event, fields: { Parameters: 'not json' } }).size).toBe(0);
  });
});
