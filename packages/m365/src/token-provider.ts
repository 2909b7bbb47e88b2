import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { AuthError, DependencyUnavailableError, errorMessage, type Secret } from '@nightjar/core';
import { RESOURCE_SCOPES, type MicrosoftEndpoints, type MicrosoftResource } from './endpoints.ts';
import { retryAfterMs, throttledError } from './errors.ts';
import type { MicrosoftHttp } from './http-client.ts';

export interface AppCredentials {
  /** The tenant the token is for: a customer tenant, or the partner tenant for Partner Center. */
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
}

export interface TokenProvider {
  /** A bearer token for the resource; cached by MSAL until shortly before it expires. */
  token(credentials: AppCredentials, resource: MicrosoftResource): Promise<string>;
}

/**
 * Client-credential tokens through @azure/msal-node, one confidential client
 * per app and tenant (MSAL's cache then does the reuse). The authority's
 * metadata is given, so no discovery call leaves the process, and MSAL's
 * network goes through our pool so a private CA (the simulator's) is trusted.
 */
export function createTokenProvider(endpoints: MicrosoftEndpoints, http: MicrosoftHttp): TokenProvider {
  const clients = new Map<string, ConfidentialClientApplication>();
  const retryAfter = new RetryAfterMemory();
  const networkClient = msalNetwork(http, retryAfter);
  const authorityHost = new URL(endpoints.authority).host;
  const tokenEndpointOf = (tenantId: string): string =>
    `${endpoints.authority.replace(/\/$/, '')}/${tenantId}/oauth2/v2.0/token`;

  function clientFor(credentials: AppCredentials): ConfidentialClientApplication {
    const key = `${credentials.tenantId}/${credentials.clientId}/${credentials.clientSecret.fingerprint()}`;
    let client = clients.get(key);
    if (!client) {
      const base = endpoints.authority.replace(/\/$/, '');
      client = new ConfidentialClientApplication({
        auth: {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret.reveal(),
          authority: `${base}/${credentials.tenantId}`,
          knownAuthorities: [authorityHost],
          authorityMetadata: JSON.stringify({
            token_endpoint: `${base}/{tenant}/oauth2/v2.0/token`,
            authorization_endpoint: `${base}/{tenant}/oauth2/v2.0/authorize`,
            issuer: `${base}/{tenant}/v2.0`,
            jwks_uri: `${base}/{tenant}/discovery/v2.0/keys`,
          }),
        },
        system: { networkClient },
      });
      clients.set(key, client);
    }
    return client;
  }

  return {
    async token(credentials, resource) {
      try {
        const result = await clientFor(credentials).acquireTokenByClientCredential({
          scopes: [RESOURCE_SCOPES[resource]],
        });
        if (!result?.accessToken) throw new Error('the token endpoint returned no access token');
        return result.accessToken;
      } catch (error) {
        throw tokenError(credentials.tenantId, error, retryAfter.remainingMs(tokenEndpointOf(credentials.tenantId)));
      }
    },
  };
}

/**
 * MSAL's errors carry no response headers, so the Retry-After of the token
 * endpoint is remembered here, per endpoint (one per tenant), as a deadline.
 * MSAL itself refuses to call again before it, throwing from its own cache
 * an error without a status: the deadline says how long that lasts.
 */
class RetryAfterMemory {
  readonly #until = new Map<string, number>();

  remember(url: string, headers: Readonly<Record<string, string>>): void {
    const wait = retryAfterMs(headers['retry-after']);
    if (wait !== undefined) this.#until.set(endpointOf(url), Date.now() + wait);
  }

  remainingMs(url: string): number | undefined {
    const until = this.#until.get(endpointOf(url));
    return until === undefined || until <= Date.now() ? undefined : until - Date.now();
  }
}

function endpointOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.toLowerCase();
}

function msalNetwork(http: MicrosoftHttp, retryAfter: RetryAfterMemory): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    // MSAL reads Entra's error bodies itself, so every status is handed back.
    const response = await http.send(url, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body === undefined ? {} : { body: options.body }),
      accept: ALL_STATUSES,
    });
    if (response.status >= 400) retryAfter.remember(url, response.headers);
    return { status: response.status, headers: { ...response.headers }, body: response.body as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

const ALL_STATUSES = Array.from({ length: 200 }, (_, index) => 400 + index);

/** AADSTS codes an MSP can act on, in plain words. */
const AADSTS: Readonly<Record<number, { code: `NJ_${string}`; reason: string }>> = {
  7000215: { code: 'NJ_MS_BAD_SECRET', reason: 'client secret is wrong (use the secret value, not its id)' },
  7000222: {
    code: 'NJ_MS_SECRET_EXPIRED',
    reason: 'client secret has expired: create a new one in the app registration',
  },
  90002: { code: 'NJ_MS_TENANT_NOT_FOUND', reason: 'tenant not found (wrong id, wrong cloud or deleted)' },
  900023: { code: 'NJ_MS_TENANT_NOT_FOUND', reason: 'tenant identifier is not valid' },
  700016: { code: 'NJ_MS_NOT_CONSENTED', reason: 'the app is not registered or consented in this tenant' },
  65001: { code: 'NJ_MS_NOT_CONSENTED', reason: 'admin consent has not been granted to the app in this tenant' },
  90094: { code: 'NJ_MS_NOT_CONSENTED', reason: 'admin consent is required' },
  500011: { code: 'NJ_MS_RESOURCE_MISSING', reason: 'the API (resource) is not available in this tenant' },
  7000112: { code: 'NJ_MS_APP_DISABLED', reason: 'the app is disabled in this tenant' },
};

/**
 * Entra's answers that mean "not now" rather than "no" (m365 contract §1.3):
 * tenant throttled, transient budget, retryable, directory unavailable.
 */
const TRANSIENT_AADSTS: ReadonlySet<number> = new Set([90055, 90024, 50033, 90033]);
/** Throttling by another name: the same request too often. */
const THROTTLING_AADSTS: ReadonlySet<number> = new Set([90055, 50196]);

/**
 * Refusals an MSP must fix become AuthError (the scheduler then waits long);
 * throttling and transient trouble stay retryable, waiting for Retry-After
 * when Entra gave one and backing off exponentially when it did not.
 */
export function tokenError(tenantId: string, error: unknown, serverRetryAfterMs?: number): Error {
  if (error instanceof DependencyUnavailableError) return error;
  const server = error as { errorNo?: string | number; errorCode?: string; status?: number; errorMessage?: string };
  const number = aadstsNumber(server);
  const known = number === undefined ? undefined : AADSTS[number];
  if (known)
    return new AuthError(known.code, `${known.reason} (AADSTS${number}, tenant ${tenantId})`, { cause: error });
  const answer = [server.status, server.errorCode, number === undefined ? undefined : `AADSTS${number}`]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  if (server.status === 429 || (number !== undefined && THROTTLING_AADSTS.has(number))) {
    return throttledError(
      `Entra ID is throttling token requests for tenant ${tenantId} (${answer})`,
      serverRetryAfterMs,
      { tenantId },
      error,
    );
  }
  const transient =
    (server.status !== undefined && server.status >= 500) ||
    server.errorCode === 'temporarily_unavailable' ||
    (number !== undefined && TRANSIENT_AADSTS.has(number)) ||
    // MSAL answering from its throttle cache, before the server's Retry-After has passed.
    (server.status === undefined && serverRetryAfterMs !== undefined);
  if (transient) {
    return new DependencyUnavailableError(
      'microsoft',
      `Entra ID token endpoint is unavailable for tenant ${tenantId} (${answer || errorMessage(error)}), retrying`,
      { cause: error, details: serverRetryAfterMs === undefined ? {} : { retryAfterMs: serverRetryAfterMs } },
    );
  }
  if (server.errorCode) {
    return new AuthError(
      'NJ_MS_TOKEN_REFUSED',
      `Entra ID refused a token for tenant ${tenantId}: ${server.errorCode}${number === undefined ? '' : ` AADSTS${number}`}`,
      {
        cause: error,
      },
    );
  }
  return new DependencyUnavailableError(
    'microsoft',
    `token request for tenant ${tenantId} failed: ${errorMessage(error)}`,
    { cause: error },
  );
}

/**
 * The AADSTS number: MSAL puts the first of `error_codes` in errorNo, but
 * when it answers from its throttle cache it puts all of them in errorCode.
 */
function aadstsNumber(server: { errorNo?: string | number; errorCode?: string }): number | undefined {
  const fromErrorNo = Number(server.errorNo);
  if (server.errorNo !== undefined && server.errorNo !== '' && Number.isInteger(fromErrorNo)) return fromErrorNo;
  const fromCode = /^(\d+)(?: \d+)*$/.exec(server.errorCode ?? '')?.[1];
  return fromCode === undefined ? undefined : Number(fromCode);
}
