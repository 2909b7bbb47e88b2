import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { assertReachable, waitFor } from '@nightjar/testkit';

/**
 * A throwaway redis-server for tests that must kill and restart Redis, which
 * the shared server of the other suites cannot be used for.
 */
export interface PrivateRedisServer {
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function privateRedisServer(extraArgs: readonly string[] = []): Promise<PrivateRedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  return {
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', ...extraArgs], {
        stdio: 'ignore',
      });
      await waitFor(
        () =>
          assertReachable('private redis-server', { host: '127.0.0.1', port }, 200).then(
            () => true,
            () => undefined,
          ),
        `redis-server on port ${port} to accept connections`,
        5000,
      );
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
