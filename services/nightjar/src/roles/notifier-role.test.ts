import { describe, expect, it } from 'vitest';
import { loadConfig } from '@nightjar/config';
import { alertLinkBase } from './notifier-role.ts';

const configOf = (env: Record<string, string>) => loadConfig({ env }).config;

describe('the link each message carries to its alert', () => {
  it('points at the API of this process in the embedded default', () => {
    expect(alertLinkBase(configOf({}))).toBe('http://127.0.0.1:8080');
  });

  it('points at the API when this process runs it beside the notifier, on its own address', () => {
    const config = configOf({
      NIGHTJAR_ROLES: 'api,notifier',
      NIGHTJAR_API_HOST: '10.0.0.5',
      NIGHTJAR_API_PORT: '9000',
    });
    expect(alertLinkBase(config)).toBe('http://10.0.0.5:9000');
    expect(alertLinkBase(configOf({ NIGHTJAR_ROLES: 'all', NIGHTJAR_API_HOST: '::1' }))).toBe('http://[::1]:8080');
  });

  it('prefers the configured base', () => {
    const config = configOf({ NIGHTJAR_NOTIFIER_LINK_BASE_URL: 'https://nightjar.msp.example' });
    expect(alertLinkBase(config)).toBe('https://nightjar.msp.example');
  });

  it('is left out when the API runs elsewhere or on a port picked at start', () => {
    expect(alertLinkBase(configOf({ NIGHTJAR_ROLES: 'notifier' }))).toBeUndefined();
    expect(alertLinkBase(configOf({ NIGHTJAR_API_PORT: '0' }))).toBeUndefined();
  });
});
