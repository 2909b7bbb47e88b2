import type { DeviceChange } from '@nightjar/events';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const deviceLabel = (event: DeviceChange): string =>
  `${event.device_name ?? event.device_uid}${event.user_name ? ` (${event.user_name})` : ''}`;

export const deviceUsers = (event: DeviceChange): string[] => (event.user_name ? [event.user_name.toLowerCase()] : []);
