import { InvalidRecordError } from '@nightjar/core';
import type { RequestBudget } from './budget.ts';
import type { MicrosoftEndpoints } from './endpoints.ts';
import type { MicrosoftHttp } from './http-client.ts';
import type { AppCredentials, TokenProvider } from './token-provider.ts';
import { withRetry, type RetryOptions } from './retry.ts';
import { throttleAware } from './throttle-aware.ts';

export interface GraphPage<T> {
  readonly items: readonly T[];
  /** Where the next page is; absent on the last one. */
  readonly nextLink?: string;
}

export interface GraphQuery {
  /** Path after the version, e.g. `auditLogs/signIns`. */
  readonly path: string;
  readonly version?: 'v1.0' | 'beta';
  readonly params?: Readonly<Record<string, string>>;
  /** The reporting APIs (sign-ins, audits) have their own, tighter budget. */
  readonly reporting?: boolean;
}

export interface GraphClient {
  /** Every page of a collection, following @odata.nextLink verbatim until it is absent. */
  pages<T>(credentials: AppCredentials, query: GraphQuery, options?: RetryOptions): AsyncGenerator<GraphPage<T>>;
  post(credentials: AppCredentials, path: string, body: unknown): Promise<void>;
}

export function createGraphClient(
  endpoints: MicrosoftEndpoints,
  http: MicrosoftHttp,
  tokens: TokenProvider,
  budget: RequestBudget,
): GraphClient {
  const base = endpoints.graph.replace(/\/$/, '');

  async function get(
    credentials: AppCredentials,
    url: string,
    reporting: boolean,
    options: RetryOptions,
  ): Promise<GraphPage<unknown>> {
    const api = reporting ? 'reporting' : 'graph';
    return withRetry(
      throttleAware(budget, api, credentials.tenantId, async () => {
        const token = await tokens.token(credentials, 'graph');
        const response = await http.send(url, {
          headers: { authorization: `Bearer ${token}`, prefer: 'include-unknown-enum-members' },
        });
        return toPage(url, response.body);
      }),
      options,
    );
  }

  return {
    async *pages<T>(
      credentials: AppCredentials,
      query: GraphQuery,
      options: RetryOptions = {},
    ): AsyncGenerator<GraphPage<T>> {
      const url = new URL(`${base}/${query.version ?? 'v1.0'}/${query.path}`);
      for (const [name, value] of Object.entries(query.params ?? {})) url.searchParams.set(name, value);
      let next: string | undefined = url.toString();
      while (next) {
        const page: GraphPage<unknown> = await get(credentials, next, query.reporting ?? false, options);
        yield page as GraphPage<T>;
        next = page.nextLink;
      }
    },
    async post(credentials, path, body) {
      await withRetry(
        throttleAware(budget, 'graph', credentials.tenantId, async () => {
          const token = await tokens.token(credentials, 'graph');
          await http.send(`${base}/v1.0/${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        }),
      );
    },
  };
}

function toPage(url: string, body: unknown): GraphPage<unknown> {
  const value = (body as { value?: unknown } | undefined)?.value;
  if (!Array.isArray(value)) throw new InvalidRecordError(`${new URL(url).pathname} returned no "value" array`);
  const nextLink = (body as Record<string, unknown>)['@odata.nextLink'];
  return typeof nextLink === 'string' ? { items: value, nextLink } : { items: value };
}
