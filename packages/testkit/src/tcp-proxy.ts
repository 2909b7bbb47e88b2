import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import type { ServiceAddress } from './services.ts';

/**
 * A TCP relay in front of a real server, able to make it unreachable for a
 * while: connections are cut and new ones refused, as when the server or the
 * network to it goes away, while the server itself keeps its data.
 */
export interface TcpProxy {
  readonly port: number;
  /** Cuts every connection, refuses new ones for `ms`, then accepts again. */
  outage(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: ServiceAddress): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  const cutAll = async (): Promise<void> => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port: address.port,
    outage: async (ms) => {
      await cutAll();
      await new Promise((resolve) => setTimeout(resolve, ms));
      server.listen(address.port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: cutAll,
  };
}
