import { Agent, request, type Dispatcher } from 'undici';
import { DependencyUnavailableError, errorMessage } from '@nightjar/core';
import { microsoftError } from './errors.ts';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface HttpRequest {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Statuses handed back to the caller instead of being turned into errors. */
  readonly accept?: readonly number[];
}

export interface MicrosoftHttp {
  send(url: string, init?: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface MicrosoftHttpOptions {
  readonly caCertPem?: string;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

/**
 * One connection pool for every call to Microsoft. Transport failures become
 * DependencyUnavailableError; error statuses become the typed errors of
 * ./errors.ts (throttling with its Retry-After, licence and consent problems
 * in plain words), so callers branch on types, never on bodies.
 */
export function createMicrosoftHttp(options: MicrosoftHttpOptions = {}): MicrosoftHttp {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dispatcher: Dispatcher = new Agent({
    connect: options.caCertPem ? { ca: options.caCertPem } : {},
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: 30_000,
  });
  return {
    async send(url, init = {}) {
      let response: Dispatcher.ResponseData;
      let text: string;
      try {
        response = await request(url, {
          method: init.method ?? 'GET',
          headers: { accept: 'application/json', 'user-agent': options.userAgent ?? 'nightjar', ...init.headers },
          ...(init.body === undefined ? {} : { body: init.body }),
          dispatcher,
        });
        text = await response.body.text();
      } catch (error) {
        throw new DependencyUnavailableError(
          'microsoft',
          `${new URL(url).host} did not answer: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
      }
      const headers = flattenHeaders(response.headers);
      const body = parseBody(text, headers['content-type']);
      if (response.statusCode < 400 || init.accept?.includes(response.statusCode)) {
        return { status: response.statusCode, headers, body };
      }
      throw microsoftError(url, response.statusCode, headers, body);
    },
    close: () => dispatcher.close(),
  };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json') || text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
