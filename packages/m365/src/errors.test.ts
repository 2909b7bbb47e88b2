import { describe, expect, it } from 'vitest';
import { AuthError, DependencyUnavailableError, ThrottledError } from '@nightjar/core';
import { microsoftError, retryAfterMs } from './errors.ts';

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

  it('makes 5xx retryable and keeps its Retry-After', () => {
    const error = microsoftError(SIGNINS, 503, { 'retry-after': '3' }, { error: { code: 'ServiceUnavailable' } });
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).details['retryAfterMs']).toBe(3000);
  });
});
