import { createHmac, timingSafeEqual } from 'node:crypto';
import { Secret } from '@nightjar/core';
import type { Dispatcher } from 'undici';
import { DeliveryError, type AlertView, type Channel, type Notification } from './channel.ts';
import { post, retryAfter, shortResponse } from './http-post.ts';

export interface WebhookChannelOptions {
  readonly url: string;
  readonly signingSecret: Secret;
  readonly dispatcher: Dispatcher;
  /** Epoch ms; the signature's timestamp comes from it. */
  readonly clock?: () => number;
  readonly timeoutMs?: number;
}

export const SIGNATURE_VERSION = 'v1';

const RETRYABLE_STATUSES = new Set([408, 425, 429]);

/**
 * POSTs the notification as JSON, signed the way receivers can check
 * cheaply: HMAC-SHA256 over "<timestamp>.<body>", so a replayed or altered
 * request fails verification (see verifyWebhookSignature).
 */
export function createWebhookChannel(options: WebhookChannelOptions): Channel {
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = new URL(options.url);
  // The URL may hold a receiver's token in its path or query: errors name the host only.
  const target = `webhook ${url.host}`;
  const urlSecrets = [options.url, url.search, url.password].filter((value) => value.length > 0);
  return {
    kind: 'webhook',
    async send(notification) {
      const body = JSON.stringify(webhookPayload(notification));
      const timestamp = String(Math.floor(clock() / 1000));
      const response = await post(options.url, {
        dispatcher: options.dispatcher,
        headers: {
          'content-type': 'application/json',
          'x-nightjar-id': notification.id,
          'x-nightjar-timestamp': timestamp,
          'x-nightjar-signature': signWebhook(body, timestamp, options.signingSecret),
        },
        body,
        target,
        secrets: urlSecrets,
        timeoutMs,
      });
      const answer = shortResponse(response.text, urlSecrets);
      if (response.status >= 200 && response.status < 300)
        return { status: response.status, response: answer || String(response.status) };
      const retryable = RETRYABLE_STATUSES.has(response.status) || response.status >= 500;
      const wait = retryable ? retryAfter(response) : undefined;
      throw new DeliveryError(`${target} answered ${response.status}${answer ? `: ${answer}` : ''}`, {
        permanent: !retryable,
        status: response.status,
        response: answer,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    },
  };
}

/** The JSON a receiver gets: the notification with snake_case fields, times as epoch ms like the alerts topic. */
export function webhookPayload(notification: Notification): Record<string, unknown> {
  return {
    id: notification.id,
    msp_id: notification.mspId,
    severity: notification.severity,
    title: notification.title,
    update: notification.update,
    alerts: notification.alerts.map(alertPayload),
  };
}

function alertPayload(alert: AlertView): Record<string, unknown> {
  return {
    alert_id: alert.alertId,
    revision: alert.revision,
    msp_id: alert.mspId,
    tenant_id: alert.tenantId,
    tenant_ids: alert.tenantIds,
    rule_id: alert.ruleId,
    rule_name: alert.ruleName,
    severity: alert.severity,
    mitre_techniques: alert.mitreTechniques,
    entity_type: alert.entityType,
    entity_id: alert.entityId,
    summary: alert.summary,
    first_seen: alert.firstSeen,
    last_seen: alert.lastSeen,
    event_count: alert.eventCount,
    users: alert.users,
    ips: alert.ips,
    countries: alert.countries,
    link: alert.link,
  };
}

/** "v1=<hex HMAC-SHA256 of `${timestamp}.${body}`>" */
export function signWebhook(body: string, timestamp: string, secret: Secret | string): string {
  return `${SIGNATURE_VERSION}=${digest(body, timestamp, secret)}`;
}

export interface WebhookSignatureCheck {
  /** The raw request body, exactly as received. */
  readonly body: string;
  /** The x-nightjar-timestamp header (unix seconds). */
  readonly timestamp: string | number;
  /** The x-nightjar-signature header; several comma-separated values are accepted during a secret rotation. */
  readonly signature: string;
  readonly secret: Secret | string;
  /** Epoch ms of the receiver's clock. */
  readonly now: number;
  readonly toleranceSeconds?: number;
}

/** True when the signature matches and the timestamp is within the tolerance of `now`. */
export function verifyWebhookSignature(check: WebhookSignatureCheck): boolean {
  const tolerance = check.toleranceSeconds ?? 300;
  const timestamp = String(check.timestamp).trim();
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(check.now / 1000 - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(digest(check.body, timestamp, check.secret), 'hex');
  let matched = false;
  for (const candidate of check.signature.split(',')) {
    const [version, hex] = candidate.trim().split('=', 2);
    if (version !== SIGNATURE_VERSION || hex === undefined || !/^[0-9a-f]{64}$/i.test(hex)) continue;
    // Every candidate is compared, matched or not, so the time taken says nothing about which one matched.
    if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) matched = true;
  }
  return matched;
}

function digest(body: string, timestamp: string, secret: Secret | string): string {
  const key = secret instanceof Secret ? secret.reveal() : secret;
  return createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
}
