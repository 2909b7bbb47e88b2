import { Redis } from 'ioredis';
import { AuthError, DependencyUnavailableError, NightjarError, errorMessage } from '@nightjar/core';

export interface RedisConnectionOptions {
  readonly url: string;
  readonly keyPrefix?: string;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

export interface RedisConnection {
  readonly client: Redis;
  /** host:port, safe to show: never carries credentials. */
  readonly address: string;
  /** Runs a command, turning connection failures into DependencyUnavailableError. */
  readonly run: <T>(command: () => Promise<T>) => Promise<T>;
}

const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * One ioredis client tuned to fail fast: commands queue only until the first
 * connection is ready; after that, a command issued while Redis is down is
 * rejected at once, and commands in flight when the socket drops are rejected
 * rather than silently resent (a resent INCRBY would count twice). The client
 * keeps reconnecting in the background, so the store heals by itself.
 */
export function openRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const parsed = new URL(options.url);
  const address = `${parsed.hostname}:${parsed.port || '6379'}`;
  const secrets = [parsed.password, decodeURIComponent(parsed.password)].filter((secret) => secret.length > 0);
  let lastFailure = 'not connected yet';

  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  });
  client.once('ready', () => {
    client.options.enableOfflineQueue = false;
  });
  // Without a listener ioredis prints every reconnect failure; the failure
  // reaches callers through rejected commands and ping() instead.
  client.on('error', (error: unknown) => {
    lastFailure = errorMessage(error);
  });

  const redact = (text: string): string => secrets.reduce((safe, secret) => safe.split(secret).join('***'), text);

  return {
    client,
    address,
    async run<T>(command: () => Promise<T>): Promise<T> {
      try {
        return await command();
      } catch (error) {
        throw translate(error, address, (text) => redact(`${text}; last connection error: ${lastFailure}`), redact);
      }
    },
  };
}

// Replies Redis gives while it cannot serve yet; retrying later succeeds.
const TRANSIENT_REPLIES = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/;
const AUTH_REPLIES = /^(WRONGPASS|NOAUTH|NOPERM)\b/;

/**
 * Maps a client failure onto the error taxonomy. ioredis attaches the failed
 * command (for AUTH: the password) to reply errors, so the original never
 * travels on; the cause is a copy with the message alone.
 */
function translate(
  error: unknown,
  address: string,
  explainOutage: (text: string) => string,
  redact: (text: string) => string,
): NightjarError {
  const message = errorMessage(error);
  const cause = redactedCause(error, redact);
  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply && AUTH_REPLIES.test(message)) {
    return new AuthError('NJ_REDIS_AUTH_FAILED', `Redis at ${address} refused the credentials: ${redact(message)}`, {
      cause,
    });
  }
  if (!isReply || TRANSIENT_REPLIES.test(message)) {
    return new DependencyUnavailableError('redis', `Redis at ${address} is unavailable: ${explainOutage(message)}`, {
      cause,
    });
  }
  // WRONGTYPE and the like: a bug in the caller, not an outage.
  return new NightjarError('NJ_REDIS_COMMAND_FAILED', `Redis at ${address} rejected a command: ${redact(message)}`, {
    cause,
  });
}

function redactedCause(error: unknown, redact: (text: string) => string): Error {
  const cause = new Error(redact(errorMessage(error)));
  cause.name = error instanceof Error ? error.name : 'Error';
  return cause;
}
