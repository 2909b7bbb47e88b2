import { randomUUID } from 'node:crypto';
import { InvalidRecordError } from '@nightjar/core';
import type { RequestBudget } from './budget.ts';
import type { MicrosoftEndpoints } from './endpoints.ts';
import type { MicrosoftHttp } from './http-client.ts';
import { withRetry } from './retry.ts';
import { throttleAware } from './throttle-aware.ts';
import type { AppCredentials, TokenProvider } from './token-provider.ts';

interface Collection {
  readonly items?: unknown[];
  readonly links?: {
    readonly next?: { readonly uri: string; readonly headers?: readonly { key: string; value: string }[] };
  };
}

export interface PartnerCenterClient {
  /** The partner's CSP customers, page by page (seek-based, continuation token in a header). */
  customers(partner: AppCredentials): AsyncGenerator<unknown[]>;
  subscriptions(partner: AppCredentials, customerTenantId: string): Promise<unknown[]>;
}

export function createPartnerCenterClient(
  endpoints: MicrosoftEndpoints,
  http: MicrosoftHttp,
  tokens: TokenProvider,
  budget: RequestBudget,
): PartnerCenterClient {
  const base = endpoints.partnerCenter.replace(/\/$/, '');

  async function get(partner: AppCredentials, url: string, headers: Record<string, string> = {}): Promise<Collection> {
    // One request id across retries lets Partner Center recognise a repeat.
    const requestId = randomUUID();
    const response = await withRetry(
      throttleAware(budget, 'partnerCenter', partner.tenantId, async () => {
        const token = await tokens.token(partner, 'partnerCenter');
        return http.send(url, {
          headers: {
            authorization: `Bearer ${token}`,
            'ms-requestid': requestId,
            'ms-correlationid': randomUUID(),
            'ms-contract-version': 'v1',
            ...headers,
          },
        });
      }),
    );
    if (typeof response.body !== 'object' || response.body === null)
      throw new InvalidRecordError(`${new URL(url).pathname} returned no collection`);
    return response.body;
  }

  return {
    async *customers(partner) {
      let url: string | undefined = `${base}/v1/customers?size=100`;
      let headers: Record<string, string> = {};
      while (url) {
        const page = await get(partner, url, headers);
        yield page.items ?? [];
        const next = page.links?.next;
        url = next ? new URL(next.uri, base).toString() : undefined;
        headers = Object.fromEntries((next?.headers ?? []).map((header) => [header.key, header.value]));
      }
    },
    async subscriptions(partner, customerTenantId) {
      const page = await get(partner, `${base}/v1/customers/${customerTenantId}/subscriptions`);
      return page.items ?? [];
    },
  };
}
