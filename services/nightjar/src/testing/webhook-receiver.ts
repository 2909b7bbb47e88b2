import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got, as a downstream system sees a notification. */
export interface ReceivedNotification {
  /** The notification id (idempotency key): a repeat after a crash carries the same one. */
  readonly id: string;
  readonly update: boolean;
  readonly alerts: readonly { readonly alert_id: string; readonly revision: number }[];
  /** Wall-clock epoch ms of the receipt. */
  readonly receivedAt: number;
}

/** A real HTTP endpoint standing for a SIEM that takes the notifier's signed webhooks. */
export class WebhookReceiver {
  readonly received: ReceivedNotification[] = [];
  readonly #server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const body = JSON.parse(text) as Omit<ReceivedNotification, 'receivedAt'>;
      this.received.push({ id: body.id, update: body.update, alerts: body.alerts, receivedAt: Date.now() });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
