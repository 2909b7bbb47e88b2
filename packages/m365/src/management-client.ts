import { InvalidRecordError, NightjarError } from '@nightjar/core';
import type { RequestBudget } from './budget.ts';
import type { MicrosoftEndpoints } from './endpoints.ts';
import { errorCode } from './errors.ts';
import type { MicrosoftHttp } from './http-client.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { throttleAware } from './throttle-aware.ts';
import type { AppCredentials, TokenProvider } from './token-provider.ts';

export const CONTENT_TYPES = [
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export interface ContentBlob {
  readonly contentType: string;
  readonly contentId: string;
  readonly contentUri: string;
  readonly contentCreated: string;
  readonly contentExpiration: string;
}

export interface ManagementClient {
  /** Starts the subscription; an already enabled one (AF20024) counts as started. */
  start(credentials: AppCredentials, contentType: ContentType): Promise<void>;
  list(credentials: AppCredentials): Promise<{ contentType: string; status: string }[]>;
  /** Blobs that became available in [start, end), following NextPageUri. Windows must be ≤ 24 h and ≤ 7 days back. */
  content(
    credentials: AppCredentials,
    contentType: ContentType,
    start: Date,
    end: Date,
    options?: RetryOptions,
  ): AsyncGenerator<ContentBlob[]>;
  /** The records of one blob, or why it has none: gone unread (AF20050, 404) or expired (AF20051, its records lost). */
  fetch(credentials: AppCredentials, blob: ContentBlob, options?: RetryOptions): Promise<BlobContent>;
}

export type BlobContent =
  { readonly records: readonly unknown[] } | { readonly unavailable: 'missing' | 'expired'; readonly code: string };

/** The little of a logger the clients need; pino's fits. */
export interface ClientLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ManagementClientOptions {
  /**
   * The MSP's own tenant GUID, sent as PublisherIdentifier on every call: it
   * keys the throttling pool. Absent, the parameter is left out and the call
   * shares Microsoft's common pool.
   */
  readonly publisherId?: string | undefined;
  /** Told about content that expired before it was read: records lost for good. */
  readonly log?: ClientLog | undefined;
}

export function createManagementClient(
  endpoints: MicrosoftEndpoints,
  http: MicrosoftHttp,
  tokens: TokenProvider,
  budget: RequestBudget,
  { publisherId, log }: ManagementClientOptions = {},
): ManagementClient {
  const root = (tenantId: string): string =>
    `${endpoints.management.replace(/\/$/, '')}/api/v1.0/${tenantId}/activity/feed`;
  const withPublisher = (url: string): string => {
    const parsed = new URL(url);
    if (publisherId && !parsed.searchParams.has('PublisherIdentifier'))
      parsed.searchParams.set('PublisherIdentifier', publisherId);
    return parsed.toString();
  };

  async function call(
    credentials: AppCredentials,
    url: string,
    init: { method?: 'GET' | 'POST'; accept?: number[] } = {},
    options: RetryOptions = {},
  ) {
    return withRetry(
      throttleAware(budget, 'management', credentials.tenantId, async () => {
        const token = await tokens.token(credentials, 'management');
        return http.send(withPublisher(url), {
          method: init.method ?? 'GET',
          headers: {
            authorization: `Bearer ${token}`,
            ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}),
          },
          ...(init.method === 'POST' ? { body: '' } : {}),
          ...(init.accept ? { accept: init.accept } : {}),
        });
      }),
      options,
    );
  }

  return {
    async start(credentials, contentType) {
      const response = await call(
        credentials,
        `${root(credentials.tenantId)}/subscriptions/start?contentType=${contentType}`,
        { method: 'POST', accept: [400] },
      );
      if (response.status === 400 && errorCode(response.body).code !== 'AF20024') {
        throw managementFailure(response.body, `start ${contentType}`);
      }
    },
    async list(credentials) {
      const response = await call(credentials, `${root(credentials.tenantId)}/subscriptions/list`);
      if (!Array.isArray(response.body)) throw new InvalidRecordError('subscriptions/list returned no array');
      return response.body as { contentType: string; status: string }[];
    },
    async *content(credentials, contentType, start, end, options = {}) {
      const query = `contentType=${contentType}&startTime=${managementTime(start)}&endTime=${managementTime(end)}`;
      let next: string | undefined = `${root(credentials.tenantId)}/subscriptions/content?${query}`;
      while (next) {
        const response = await call(credentials, next, {}, options);
        if (!Array.isArray(response.body)) throw new InvalidRecordError('subscriptions/content returned no array');
        yield response.body as ContentBlob[];
        next = response.headers['nextpageuri'];
      }
    },
    async fetch(credentials, blob, options = {}) {
      const response = await call(credentials, blob.contentUri, { accept: [400, 404] }, options);
      const code = response.status >= 400 ? errorCode(response.body).code : undefined;
      if (code === 'AF20051') {
        log?.warn(
          { tenant: credentials.tenantId, contentType: blob.contentType, contentId: blob.contentId, code },
          'Management Activity content expired before it was read: its audit records are lost',
        );
        return { unavailable: 'expired', code };
      }
      if (response.status === 404 || code === 'AF20050') return { unavailable: 'missing', code: code ?? '404' };
      if (response.status === 400) throw managementFailure(response.body, `fetch ${blob.contentId}`);
      if (!Array.isArray(response.body))
        throw new InvalidRecordError(`content blob ${blob.contentId} is not an array of records`);
      return { records: response.body as unknown[] };
    },
  };
}

/** UTC without a zone suffix, to the second, as the API's examples write it. */
export function managementTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function managementFailure(body: unknown, what: string): NightjarError {
  const { code, message } = errorCode(body);
  if (code?.startsWith('StartSubscription') && message?.includes('DataServiceException')) {
    return new NightjarError(
      'NJ_MS_AUDIT_DISABLED',
      'unified audit log is not enabled in the tenant: audit records unavailable',
    );
  }
  return new NightjarError(
    'NJ_MS_MANAGEMENT_FAILED',
    `Management Activity API ${what} failed: ${code ?? ''} ${message ?? ''}`.trim(),
    {
      details: { code },
    },
  );
}
