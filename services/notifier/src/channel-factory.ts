import { Agent, type Dispatcher } from 'undici';
import { Secret } from '@nightjar/core';
import { createMicrosoftHttp, createTokenProvider, MICROSOFT_CLOUD, type MicrosoftEndpoints } from '@nightjar/m365';
import type { Channel } from './channels/channel.ts';
import { createGraphMailChannel } from './channels/graph-mail.ts';
import { createSlackChannel } from './channels/slack.ts';
import { createSmtpChannel } from './channels/smtp.ts';
import { createTelegramChannel } from './channels/telegram.ts';
import { createWebhookChannel } from './channels/webhook.ts';
import type { TargetConfig } from './notifications-file.ts';

export interface ChannelFactoryOptions {
  /** An extra CA to trust for HTTPS targets and Microsoft (a private one, or the simulator's). */
  readonly caCertPem?: string;
  /** Where Microsoft lives; the public cloud unless configured (the simulator in embedded mode). */
  readonly microsoft?: MicrosoftEndpoints;
}

export interface ChannelFactory {
  create(target: TargetConfig): Channel;
  close(): Promise<void>;
}

/** Builds each target's channel over one HTTP pool, one Microsoft token cache and the SMTP transports. */
export function createChannelFactory(options: ChannelFactoryOptions = {}): ChannelFactory {
  const dispatcher: Dispatcher = new Agent({
    connect: options.caCertPem ? { ca: options.caCertPem } : {},
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const http = createMicrosoftHttp(options.caCertPem ? { caCertPem: options.caCertPem } : {});
  const microsoft = options.microsoft ?? MICROSOFT_CLOUD;
  const tokens = createTokenProvider(microsoft, http);
  const closers: (() => Promise<void>)[] = [() => dispatcher.close(), () => http.close()];
  return {
    create(target) {
      switch (target.kind) {
        case 'slack':
          return createSlackChannel({ webhookUrl: new Secret(target.webhookUrl), dispatcher });
        case 'telegram':
          return createTelegramChannel({
            apiUrl: target.apiUrl,
            botToken: new Secret(target.botToken),
            chatId: target.chatId,
            dispatcher,
          });
        case 'webhook':
          return createWebhookChannel({ url: target.url, signingSecret: new Secret(target.signingSecret), dispatcher });
        case 'graph-mail':
          return createGraphMailChannel({
            graphUrl: microsoft.graph,
            from: target.from,
            to: target.to,
            credentials: {
              tenantId: target.tenantId,
              clientId: target.clientId,
              clientSecret: new Secret(target.clientSecret),
            },
            tokens,
            http,
          });
        case 'smtp': {
          const channel = createSmtpChannel({
            host: target.host,
            port: target.port,
            security: target.security,
            ...(target.username ? { username: target.username } : {}),
            ...(target.password ? { password: new Secret(target.password) } : {}),
            from: target.from,
            to: target.to,
            ...(options.caCertPem ? { tls: { ca: options.caCertPem } } : {}),
          });
          if ('close' in channel && typeof channel.close === 'function') closers.push(async () => channel.close());
          return channel;
        }
      }
    },
    async close() {
      await Promise.all(closers.map((close) => close().catch(() => undefined)));
    },
  };
}
