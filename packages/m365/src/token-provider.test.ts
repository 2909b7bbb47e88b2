import { ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import { AuthError, DependencyUnavailableError, isRetryable, ThrottledError } from '@nightjar/core';
import { tokenError } from './token-provider.ts';

const TENANT = '6f1c2d3e-0000-4000-8000-000000000001';

/** What MSAL throws for an Entra error body: `error`, the first of `error_codes`, the HTTP status. */
const entra = (error: string, code: number | undefined, status: number | undefined): ServerError =>
  new ServerError(error, 'correlation', `AADSTS${code ?? ''}: ...`, undefined, code?.toString(), status);

describe('tokenError', () => {
  it.each([
    ['temporarily_unavailable', 90033, 400],
    ['temporarily_unavailable', 90024, 400],
    ['temporarily_unavailable', 50033, 400],
    ['temporarily_unavailable', undefined, 400],
    ['server_error', 90033, 503],
  ])('retries %s %s (HTTP %s) soon: transient, not a refusal', (error, code, status) => {
    const mapped = tokenError(TENANT, entra(error, code, status));
    expect(mapped).toBeInstanceOf(DependencyUnavailableError);
    expect(isRetryable(mapped)).toBe(true);
    expect(mapped.message).toContain(TENANT);
  });

  it('honours the Retry-After of a throttling answer, and backs off when there was none', () => {
    const told = tokenError(TENANT, entra('temporarily_unavailable', 90055, 429), 12_000);
    expect(told).toBeInstanceOf(ThrottledError);
    expect((told as ThrottledError).retryAfterMs).toBe(12_000);
    const untold = tokenError(TENANT, entra('temporarily_unavailable', 90055, 429));
    expect((untold as ThrottledError).details['retryAfterUnknown']).toBe(true);
    const unavailable = tokenError(TENANT, entra('temporarily_unavailable', 90033, 503), 3_000);
    expect((unavailable as DependencyUnavailableError).details['retryAfterMs']).toBe(3_000);
  });

  it("reads MSAL's own throttle-cache refusal, which has no status and the codes in errorCode, as throttling", () => {
    const cached = new ServerError('90055', 'correlation', 'AADSTS90055: throttled');
    expect(tokenError(TENANT, cached, 5_000)).toBeInstanceOf(ThrottledError);
  });

  it.each([
    ['invalid_client', 7000215, 401, 'NJ_MS_BAD_SECRET'],
    ['invalid_client', 7000222, 401, 'NJ_MS_SECRET_EXPIRED'],
    ['invalid_grant', 65001, 400, 'NJ_MS_NOT_CONSENTED'],
    ['unauthorized_client', 700016, 400, 'NJ_MS_NOT_CONSENTED'],
    ['invalid_request', 9001023, 400, 'NJ_MS_TOKEN_REFUSED'],
  ])('keeps %s AADSTS%s a refusal (%s)', (error, code, status, expected) => {
    const mapped = tokenError(TENANT, entra(error, code, status));
    expect(mapped).toBeInstanceOf(AuthError);
    expect((mapped as AuthError).code).toBe(expected);
  });
});
