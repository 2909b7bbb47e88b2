import { AuthError, DependencyUnavailableError, NightjarError, ThrottledError } from '@nightjar/core';
import { THROTTLE_BACKOFF_BASE_MS } from './retry.ts';

/**
 * Turns Microsoft's error answers into typed errors whose messages an MSP
 * reads in the tenant's health: what is wrong and what to do, not a body dump.
 * Branches on codes, never on message text, as Microsoft asks.
 */
export function microsoftError(
  url: string,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: unknown,
): Error {
  const { code, message } = errorCode(body);
  const where = `${new URL(url).host}${new URL(url).pathname}`;
  const details = { status, code, requestId: headers['request-id'] ?? headers['ms-requestid'], url: where };

  if (status === 429 || code === 'AF429') {
    return throttledError(`throttled by ${where} (${code ?? status})`, retryAfterMs(headers['retry-after']), details);
  }
  if (status >= 500 || status === 408) {
    return new DependencyUnavailableError(
      'microsoft',
      `${where} answered ${status}${code ? ` ${code}` : ''}: ${message ?? 'service unavailable'}`,
      {
        details: { ...details, retryAfterMs: retryAfterMs(headers['retry-after']) },
      },
    );
  }
  if (code === 'AF20022') {
    return new NightjarError(
      'NJ_MS_AUDIT_NOT_SUBSCRIBED',
      `${where} answered ${status} AF20022: no Management Activity subscription for this content type (stopped, or never started)`,
      { details },
    );
  }
  // Not a refusal of our credentials: the contract's answer is to start the subscription again.
  if (code === 'AF20023') {
    return new NightjarError(
      'NJ_MS_AUDIT_SUBSCRIPTION_DISABLED',
      `${where} answered ${status} AF20023: a tenant or service admin disabled the Management Activity subscription for this content type`,
      { details },
    );
  }
  const known = code ? KNOWN_CODES[code] : undefined;
  if (known) return new AuthError(known.code, known.reason, { details });
  if (code === 'BadRequest' && message?.includes('not applicable to target tenant')) {
    return new AuthError('NJ_MS_NO_INTUNE', 'tenant has no Intune licence or no MDM authority: devices unavailable', {
      details,
    });
  }
  if (isAuditNotOnboarded(code, message)) {
    return new AuthError(
      'NJ_MS_AUDIT_DISABLED',
      'unified audit log is not enabled in the tenant: audit records unavailable',
      { details },
    );
  }
  if (status === 401)
    return new AuthError('NJ_MS_UNAUTHORIZED', `${where} refused the token (${code ?? 401}): ${message ?? ''}`.trim(), {
      details,
    });
  if (status === 403)
    return new AuthError(
      'NJ_MS_FORBIDDEN',
      `${where} denied access (${code ?? 403}): the app lacks a permission or consent`,
      { details },
    );
  return new NightjarError(
    'NJ_MS_REQUEST_FAILED',
    `${where} answered ${status}${code ? ` ${code}` : ''}: ${message ?? 'no message'}`,
    { details },
  );
}

const KNOWN_CODES: Readonly<Record<string, { code: `NJ_${string}`; reason: string }>> = {
  Authentication_RequestFromNonPremiumTenantOrB2CTenant: {
    code: 'NJ_MS_NO_P1',
    reason: 'tenant has no Entra ID P1 licence: sign-in logs unavailable',
  },
  Authorization_RequestDenied: {
    code: 'NJ_MS_FORBIDDEN',
    reason: 'the app lacks a Graph permission (admin consent missing or incomplete)',
  },
  InvalidAuthenticationToken: { code: 'NJ_MS_UNAUTHORIZED', reason: 'Graph refused the access token' },
  AF10001: {
    code: 'NJ_MS_FORBIDDEN',
    reason: 'the app lacks ActivityFeed.Read for the Management Activity API (consent missing)',
  },
  AF20011: { code: 'NJ_MS_TENANT_GONE', reason: 'tenant does not exist or was deleted (Management Activity API)' },
  // Partner Center's numeric codes: about the relationship with one customer, not our credentials.
  '20002': {
    code: 'NJ_MS_NO_PARTNER_RELATIONSHIP',
    reason:
      'the partner has no commerce relationship with this customer (Partner Center 20002): its subscriptions cannot be read',
  },
  '60003': { code: 'NJ_MS_TENANT_GONE', reason: 'customer tenant not found in Partner Center (60003)' },
};

/**
 * A throttling answer. Without a Retry-After (Intune and a few identity
 * services omit it) the wait is marked unknown, so a retry backs off
 * exponentially instead of hammering at a fixed pace, which Microsoft says
 * prolongs the throttle.
 */
export function throttledError(
  message: string,
  serverRetryAfterMs: number | undefined,
  details: Readonly<Record<string, unknown>> = {},
  cause?: unknown,
): ThrottledError {
  const known = serverRetryAfterMs !== undefined;
  return new ThrottledError(
    known ? message : `${message}, without Retry-After`,
    serverRetryAfterMs ?? THROTTLE_BACKOFF_BASE_MS,
    {
      details: known ? details : { ...details, retryAfterUnknown: true },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function isAuditNotOnboarded(code: string | undefined, message: string | undefined): boolean {
  return Boolean(code?.startsWith('StartSubscription') && message?.includes('DataServiceException'));
}

export function errorCode(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null)
    return typeof body === 'string' && body ? { message: body.slice(0, 300) } : {};
  const record = body as Record<string, unknown>;
  const inner = (typeof record['error'] === 'object' && record['error'] !== null ? record['error'] : record) as Record<
    string,
    unknown
  >;
  const code = inner['code'] ?? record['code'];
  const message = inner['message'] ?? inner['description'] ?? record['Message'] ?? record['description'];
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof message === 'string' ? { message: message.slice(0, 300) } : {}),
  };
}

/** Retry-After as seconds (possibly fractional) or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
