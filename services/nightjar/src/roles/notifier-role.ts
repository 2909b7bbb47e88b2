import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { NightjarConfig } from '@nightjar/config';
import { systemClock } from '@nightjar/core';
import type { MicrosoftEndpoints } from '@nightjar/m365';
import {
  createChannelFactory,
  DigestScheduler,
  historyDigestSource,
  Notifier,
  parseNotifications,
  readNotificationsFile,
  type Channel,
  type ChannelFactory,
  type NotificationSettings,
  type TargetConfig,
} from '@nightjar/notifier';
import type { Logger } from '@nightjar/runtime';
import type { RoleDefinition } from '../roles.ts';
import { acquireSimulatedEnvironment, releaseSimulatedEnvironment, usesSimulatedTenants } from '../simulated.ts';
import { refreshing, SETTINGS_REFRESH_MS, storedNotificationSettings } from './stored-settings.ts';
import { eventTopic, eventTopicSpecs } from './topics.ts';

interface NotifierSide {
  readonly settings: NotificationSettings;
  readonly caCertPem?: string;
  readonly microsoft?: MicrosoftEndpoints;
  readonly close: () => Promise<void>;
}

/** The configured targets and routes; in the embedded default, the simulator's Slack takes every alert. */
async function notifierSide(config: NightjarConfig, log: Logger): Promise<NotifierSide> {
  const caCertPem = config.notifier.caCertFile ? await readFile(config.notifier.caCertFile, 'utf8') : undefined;
  const microsoft: MicrosoftEndpoints = {
    authority: config.microsoft.authorityUrl,
    graph: config.microsoft.graphUrl,
    management: config.microsoft.managementUrl,
    partnerCenter: config.microsoft.partnerCenterUrl,
  };
  if (config.notifier.file) {
    return {
      settings: readNotificationsFile(config.notifier.file),
      ...(caCertPem ? { caCertPem } : {}),
      microsoft,
      close: async () => undefined,
    };
  }
  if (!usesSimulatedTenants(config)) {
    log.warn('notifier.file (NIGHTJAR_NOTIFIER_FILE) is not set: alerts are read but nobody is told');
    return { settings: new Map(), close: async () => undefined };
  }
  const { simulator, mspId } = await acquireSimulatedEnvironment(config, log);
  const webhookUrl = `${simulator.urls.slack}/services/TSIMULATED/BSIMULATED/soc`;
  log.info({ captured: `${simulator.urls.admin}/captured/slack` }, 'notifications go to the simulated Slack');
  const settings = parseNotifications(
    JSON.stringify({
      msps: [{ id: mspId, targets: { 'soc-slack': { kind: 'slack', webhookUrl } }, defaultTargets: ['soc-slack'] }],
    }),
    'embedded default',
  );
  return {
    settings,
    caCertPem: simulator.caCertPem,
    microsoft: { ...simulator.urls },
    close: releaseSimulatedEnvironment,
  };
}

/**
 * Where messages link each alert: the configured base, else the API of this
 * same process (the embedded default) so a message is never without its link.
 * An API on another process or an unknown port (0) has no address we can
 * know here, so the link is then left out.
 */
export function alertLinkBase(config: NightjarConfig): string | undefined {
  if (config.notifier.linkBaseUrl) return config.notifier.linkBaseUrl;
  const apiHere = config.roles.includes('all') || config.roles.includes('api');
  if (!apiHere || config.api.port === 0) return undefined;
  const anyAddress = config.api.host === '0.0.0.0' || config.api.host === '::' || config.api.host === '';
  const host = anyAddress ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
}

export const notifierRole: RoleDefinition = {
  name: 'notifier',
  // The store feeds the daily digests.
  needs: ['bus', 'state', 'store'],
  create({ config, ports, log, metrics }) {
    let notifier: Notifier | undefined;
    let digests: DigestScheduler | undefined;
    let stopRefreshing: (() => void) | undefined;
    let channels: ChannelFactory | undefined;
    let side: NotifierSide | undefined;
    return {
      name: 'notifier',
      async start() {
        side = await notifierSide(config, log);
        const fromFile = side.settings;
        // The file's MSPs, each replaced by what it keeps through the API.
        let settings: NotificationSettings = fromFile;
        stopRefreshing = refreshing(
          SETTINGS_REFRESH_MS,
          async () => {
            const stored = await storedNotificationSettings(config, ports.store, log);
            settings = new Map([...fromFile, ...stored]);
          },
          log,
          'stored notification settings',
        );
        channels = createChannelFactory({
          ...(side.caCertPem ? { caCertPem: side.caCertPem } : {}),
          ...(side.microsoft ? { microsoft: side.microsoft } : {}),
        });
        const factory = channels;
        // One channel per target, shared by alerts and digests (one SMTP transport, one token cache).
        const built = new Map<string, Channel>();
        const channelFor = (mspId: string, name: string, target: TargetConfig): Channel => {
          // A target changed through the API gets a new channel; its old one is simply no longer asked for.
          const key = `${mspId}/${name}/${createHash('sha256').update(JSON.stringify(target)).digest('hex')}`;
          let channel = built.get(key);
          if (!channel) built.set(key, (channel = factory.create(target)));
          return channel;
        };
        await ports.bus.ensureTopics(eventTopicSpecs(config));
        const linkBase = alertLinkBase(config);
        if (!linkBase) log.info('notifier.linkBaseUrl is not set: messages carry no link to their alert');
        notifier = new Notifier({
          bus: ports.bus,
          state: ports.state,
          settings: () => settings,
          channelFor,
          alertsTopic: eventTopic(config, 'alert'),
          deliveriesTopic: eventTopic(config, 'delivery'),
          deadLetterTopic: eventTopic(config, 'dead-letter'),
          clock: systemClock,
          // One group per deployment: two installations sharing a cluster keep their own offsets.
          groupId: `${config.kafka.topicPrefix}notifier`,
          log: log.child({ component: 'notifier' }),
          metrics,
          ...(linkBase ? { linkBase } : {}),
        });
        await notifier.start();
        digests = new DigestScheduler({
          settings: () => settings,
          source: historyDigestSource(ports.store),
          channelFor,
          state: ports.state,
          bus: ports.bus,
          deliveriesTopic: eventTopic(config, 'delivery'),
          clock: systemClock,
          log: log.child({ component: 'digest' }),
          processId: `${hostname()}-${randomUUID().slice(0, 8)}`,
        });
        digests.start();
      },
      async stop() {
        stopRefreshing?.();
        await digests?.stop();
        await notifier?.stop();
        await channels?.close();
        await side?.close();
      },
      readiness: () => [{ name: 'consumer', ok: notifier?.ready() ?? false }],
    };
  },
};
