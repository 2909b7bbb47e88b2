import { errorMessage } from '@nightjar/core';
import { retryAfterMs } from '@nightjar/m365';
import { request, type Dispatcher } from 'undici';
import { DeliveryError } from './channel.ts';

export interface PostedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface PostOptions {
  readonly dispatcher: Dispatcher;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Where the request goes, as errors may name it (never the secret part of the URL). */
  readonly target: string;
  /** Values that must not appear in an error message (tokens inside the URL). */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
}

const MAX_RESPONSE_CHARS = 300;

/**
 * One POST whose answer is handed back whatever its status; a request that
 * gets no answer at all is a retryable DeliveryError.
 */
export async function post(url: string, options: PostOptions): Promise<PostedResponse> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'user-agent': 'nightjar', ...options.headers },
      body: options.body,
      dispatcher: options.dispatcher,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: flattenHeaders(response.headers), text };
  } catch (error) {
    // The cause is left out on purpose: undici errors can carry the request, and with it the secret URL.
    throw new DeliveryError(`${options.target} did not answer: ${redact(errorMessage(error), options.secrets)}`, {
      permanent: false,
    });
  }
}

/** Retry-After in ms, when the answer carries one. */
export function retryAfter(response: PostedResponse): number | undefined {
  return retryAfterMs(response.headers['retry-after']);
}

/** A provider's answer, short and single-line, fit for a delivery record. */
export function shortResponse(text: string, secrets: readonly string[] = []): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > MAX_RESPONSE_CHARS ? `${flat.slice(0, MAX_RESPONSE_CHARS - 1)}…` : flat;
  return redact(cut, secrets);
}

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return result;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
