import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Addresses of the real servers the integration tests run against. They come
 * from the environment (set by deploy/local/infra.sh or by CI); a missing or
 * silent server fails the test with a message naming what to start, instead
 * of hanging until a timeout.
 */
export interface ServiceAddress {
  readonly host: string;
  readonly port: number;
}

const HOW_TO_START = 'start it with `deploy/local/infra.sh up` (or run the suite through deploy/local/test.sh)';

export function kafkaBrokers(): string[] {
  const value = process.env['NIGHTJAR_KAFKA_BROKERS'];
  if (!value) throw new Error(`NIGHTJAR_KAFKA_BROKERS is not set: the Kafka tests need a real broker; ${HOW_TO_START}`);
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

export function redisUrl(): string {
  const value = process.env['NIGHTJAR_REDIS_URL'];
  if (!value) throw new Error(`NIGHTJAR_REDIS_URL is not set: the Redis tests need a real server; ${HOW_TO_START}`);
  return value;
}

export function clickhouseUrl(): string | undefined {
  return process.env['NIGHTJAR_CLICKHOUSE_URL'] || undefined;
}

export function parseHostPort(address: string): ServiceAddress {
  const url = address.includes('://') ? new URL(address) : new URL(`tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

/** Resolves when a TCP connection succeeds; rejects with a message naming the service otherwise. */
export function assertReachable(service: string, address: ServiceAddress, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    const fail = (reason: string): void => {
      socket.destroy();
      reject(new Error(`${service} at ${address.host}:${address.port} is not reachable (${reason}); ${HOW_TO_START}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => fail(error.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

/** A name no other test run shares, for topics, groups and key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Where the peer-published Microsoft records live: outside the repository
 * (their licences forbid copying them in), next to the checkout or at the
 * path NIGHTJAR_PEER_FIXTURES names. Undefined when this machine has none.
 */
export function peerFixturesDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env['NIGHTJAR_PEER_FIXTURES'],
    join(here, '..', '..', '..', '..', 'shared', 'fixtures', 'peer'),
    '/work/shared/fixtures/peer',
  ];
  return candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate));
}
