import type { SubscriptionChange, SubscriptionSnapshot } from '@nightjar/events';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const subscriptionLabel = (event: SubscriptionChange | SubscriptionSnapshot): string =>
  `${event.friendly_name ?? event.offer_name ?? event.subscription_uid} (${event.quantity} seats)`;
