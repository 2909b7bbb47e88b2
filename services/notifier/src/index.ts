export { Notifier, type NotifierOptions } from './notifier.ts';
export {
  parseNotifications,
  readNotificationsFile,
  type DigestSchedule,
  type MspNotifications,
  type NotificationSettings,
  type TargetConfig,
} from './notifications-file.ts';
export { targetsFor, type MspRouting, type Route, type RouteMatch } from './routing.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './attempts.ts';
export * from './channels/channel.ts';
export { createChannelFactory, type ChannelFactory, type ChannelFactoryOptions } from './channel-factory.ts';
export { DigestScheduler, type DigestSchedulerOptions } from './digest/digest-scheduler.ts';
export { historyDigestSource, type DigestData, type DigestSource } from './digest/digest-data.ts';
