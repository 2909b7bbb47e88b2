import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, DependencyUnavailableError, ThrottledError, type NightjarError } from '@nightjar/core';
import { microsoftError, retryAfterMs } from './errors.ts';
import { throttleBackoffMs, withRetry } from './retry.ts';

const SIGNINS = 'https://graph.microsoft.com/v1.0/auditLogs/signIns';

describe('microsoftError', () => {
  it('reads Retry-After from a 429, as seconds or as a date', () => {
    const error = microsoftError(SIGNINS, 429, { 'retry-after': '2.128' }, { error: { code: 'TooManyRequests' } });
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(2128);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(10_000);
  });

  it('treats the Management API AF429, which comes as a 403, as throttling', () => {
    const error = microsoftError(
      'https://manage.office.com/api/v1.0/t/activity/feed/subscriptions/content',
      403,
      {},
      {
        error: {
          code: 'AF429',
          message: 'Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000',
        },
      },
    );
    expect(error).toBeInstanceOf(ThrottledError);
  });

  it('says in plain words that a tenant without Entra ID P1 has no sign-in logs', () => {
    const error = microsoftError(
      SIGNINS,
      403,
      {},
      {
        error: {
          code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          message: "Neither tenant is B2C or tenant doesn't have premium license",
        },
      },
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe('tenant has no Entra ID P1 licence: sign-in logs unavailable');
  });

  it("says a CSP customer without a commerce relationship is that customer's state, not a permission the app lacks", () => {
    const subscriptions = 'https://api.partnercenter.microsoft.com/v1/customers/c1/subscriptions';
    const body = {
      code: 20002,
      description: 'Partner does not have a relationship with the customer',
      source: 'PartnerFD',
    };
    const error = microsoftError(subscriptions, 403, {}, body);
    expect(error).toMatchObject({ code: 'NJ_MS_NO_PARTNER_RELATIONSHIP' });
    expect(error.message).toMatch(/no commerce relationship with this customer \(Partner Center 20002\)/);
    expect(microsoftError(subscriptions, 404, {}, { code: 60003, description: 'not found' })).toMatchObject({
      code: 'NJ_MS_TENANT_GONE',
    });
  });

  it('recognises the missing-Intune answer and the audit log that is not enabled', () => {
    const intune = microsoftError(
      'https://graph.microsoft.com/v1.0/deviceManagement/managedDevices',
      400,
      {},
      {
        error: { code: 'BadRequest', message: 'Request not applicable to target tenant.' },
      },
    );
    expect(intune.message).toContain('no Intune licence');
    const audit = microsoftError(
      'https://manage.office.com/api/v1.0/t/activity/feed/subscriptions/start',
      400,
      {},
      {
        error: {
          code: 'StartSubscription [CorrId=1][TenantId=t,ContentType=Audit.General][AppId',
          message:
            '] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant t does not exist.',
        },
      },
    );
    expect(audit.message).toContain('unified audit log is not enabled');
  });

  it('asks for the subscription to be started again when an admin disabled it (AF20023), not for new credentials', () => {
    const error = microsoftError(
      'https://manage.office.com/api/v1.0/t/activity/feed/subscriptions/content',
      400,
      {},
      { error: { code: 'AF20023', message: 'The subscription was disabled by the tenant admin.' } },
    );
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as NightjarError).code).toBe('NJ_MS_AUDIT_SUBSCRIPTION_DISABLED');
    expect(error.message).toContain('AF20023');
  });

  it('makes 5xx retryable and keeps its Retry-After', () => {
    const error = microsoftError(SIGNINS, 503, { 'retry-after': '3' }, { error: { code: 'ServiceUnavailable' } });
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).details['retryAfterMs']).toBe(3000);
  });
});

describe('a 429 without Retry-After', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const intune = 'https://graph.microsoft.com/v1.0/deviceManagement/managedDevices';

  it('is throttling whose wait the server did not say', () => {
    const error = microsoftError(intune, 429, {}, { error: { code: 'TooManyRequests' } }) as ThrottledError;
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error.details['retryAfterUnknown']).toBe(true);
    expect(error.message).toContain('without Retry-After');
    const told = microsoftError(intune, 429, { 'retry-after': '4' }, {}) as ThrottledError;
    expect(told.details['retryAfterUnknown']).toBeUndefined();
    expect(told.retryAfterMs).toBe(4_000);
  });

  it('is retried after doubling, jittered waits that stop growing at a minute', () => {
    const lowest = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => throttleBackoffMs(attempt, () => 0));
    const highest = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => throttleBackoffMs(attempt, () => 1));
    expect(lowest).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(highest).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('makes withRetry back off instead of waiting a fixed pause', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        calls += 1;
        if (calls <= 4) throw microsoftError(intune, 429, {}, { error: { code: 'TooManyRequests' } });
        return 'devices';
      },
      { onRetry: (_error, _attempt, delayMs) => delays.push(delayMs) },
    );
    await vi.runAllTimersAsync();
    expect(await result).toBe('devices');
    expect(delays).toHaveLength(4);
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(1_000 * 2 ** index);
      expect(delay).toBeLessThanOrEqual(2_000 * 2 ** index);
    });
  });
});
