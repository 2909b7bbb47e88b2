import type { Secret } from '@nightjar/core';
import type { Dispatcher } from 'undici';
import { DeliveryError, type AlertView, type Channel, type Notification } from './channel.ts';
import { fitAlertLines, LINE_DETAILS, type LineDetail } from './fit-lines.ts';
import {
  bySeverity,
  entityOf,
  escapeHtml,
  headline,
  isoUtc,
  listPreview,
  safeLink,
  SEVERITY_MARK,
  severityCounts,
  severityLabel,
  singleLine,
  tenantsOf,
  truncateEscaped,
} from './format.ts';
import { post, shortResponse, type PostedResponse } from './http-post.ts';

export interface TelegramChannelOptions {
  /** Default https://api.telegram.org; tests point it at the simulator. */
  readonly apiUrl?: string;
  readonly botToken: Secret;
  readonly chatId: string;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs?: number;
}

/** Telegram's limit on a message's text. */
export const TELEGRAM_MAX_TEXT = 4096;

const PERMANENT_STATUSES = new Set([400, 401, 403, 404]);

/** Sends with the Bot API's sendMessage, as HTML so every dynamic value can be escaped. */
export function createTelegramChannel(options: TelegramChannelOptions): Channel {
  const apiUrl = (options.apiUrl ?? 'https://api.telegram.org').replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    kind: 'telegram',
    async send(notification) {
      const token = options.botToken.reveal();
      const secrets = [token, encodeURIComponent(token)];
      const response = await post(`${apiUrl}/bot${token}/sendMessage`, {
        dispatcher: options.dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: options.chatId,
          text: telegramText(notification),
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        }),
        target: 'Telegram Bot API',
        secrets,
        timeoutMs,
      });
      const answer = parseAnswer(response);
      if (response.status >= 200 && response.status < 300 && answer.ok !== false) {
        const messageId = answer.result?.message_id;
        return { status: response.status, response: messageId === undefined ? 'ok' : `message_id ${messageId}` };
      }
      const description = shortResponse(answer.description ?? response.text, secrets);
      const details = { status: response.status, response: description };
      const retryAfterSeconds = answer.parameters?.retry_after;
      if (response.status === 429 || answer.error_code === 429)
        throw new DeliveryError(`Telegram rate limited the bot (${description})`, {
          ...details,
          permanent: false,
          ...(typeof retryAfterSeconds === 'number' ? { retryAfterMs: Math.ceil(retryAfterSeconds * 1000) } : {}),
        });
      if (PERMANENT_STATUSES.has(response.status)) {
        const moved = answer.parameters?.migrate_to_chat_id;
        const hint = moved === undefined ? '' : ` (the group became a supergroup: use chat id ${moved})`;
        throw new DeliveryError(`Telegram refused the message: ${description}${hint}`, { ...details, permanent: true });
      }
      throw new DeliveryError(`Telegram answered ${response.status}: ${description}`, {
        ...details,
        permanent: response.status >= 400 && response.status < 500,
      });
    },
  };
}

interface TelegramAnswer {
  readonly ok?: boolean;
  readonly error_code?: number;
  readonly description?: string;
  readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
  readonly result?: { readonly message_id?: number };
}

function parseAnswer(response: PostedResponse): TelegramAnswer {
  try {
    const parsed: unknown = JSON.parse(response.text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** The message in Telegram's HTML, never longer than its 4096-character limit. */
export function telegramText(notification: Notification): string {
  const title = `${SEVERITY_MARK[notification.severity]} <b>${text(headline(notification), 300)}</b>`;
  const update = notification.update ? '\n<i>Update of alerts announced before.</i>' : '';
  const [only] = notification.alerts;
  const head = `${title}${update}\n\n`;
  if (notification.alerts.length === 1 && only) return head + singleAlert(only, TELEGRAM_MAX_TEXT - head.length);

  const alerts = bySeverity(notification.alerts);
  const intro = `${alerts.length} alerts: ${severityCounts(alerts)}\n\n`;
  const room = TELEGRAM_MAX_TEXT - head.length - intro.length;
  const listLink = safeLink(notification.listLink ?? null);
  const more = (omitted: number): string =>
    listLink !== null && listLink.length <= 1000
      ? `\n\nand ${omitted} more: <a href="${escapeHtml(listLink)}">all ${alerts.length} in Nightjar</a>`
      : `\n\nand ${omitted} more`;
  // Reserved with the full count, which never has fewer digits than the count left out.
  const moreRoom = more(alerts.length).length;
  const fitted = fitAlertLines(
    alerts,
    LINE_FORMATS,
    { chunkChars: room, maxChunks: 1 },
    { chunkChars: room - moreRoom, maxChunks: 1 },
  );
  const list = fitted.chunks.join('\n');
  return `${head}${intro}${list}${fitted.omitted > 0 ? more(fitted.omitted) : ''}`;
}

/** Every fact on its own line; the summary gets what room is left. */
function singleAlert(alert: AlertView, room: number): string {
  const facts = [
    `<b>Severity:</b> ${severityLabel(alert.severity)}`,
    `<b>Tenant:</b> ${text(tenantsOf(alert), 300)}`,
    `<b>Rule:</b> <code>${text(alert.ruleId, 100)}</code> ${text(alert.ruleName, 200)}`,
    `<b>Entity:</b> ${text(entityOf(alert), 300)}`,
    `<b>Seen:</b> ${isoUtc(alert.firstSeen)} to ${isoUtc(alert.lastSeen)} (${alert.eventCount} events)`,
    `<b>Users:</b> ${text(listPreview(alert.users), 300)}`,
    `<b>IPs:</b> ${text(listPreview(alert.ips), 300)}`,
    `<b>Countries:</b> ${text(listPreview(alert.countries), 200)}`,
  ];
  if (alert.mitreTechniques.length > 0)
    facts.push(`<b>MITRE ATT&amp;CK:</b> ${text(alert.mitreTechniques.join(', '), 200)}`);
  const link = safeLink(alert.link);
  if (link !== null && link.length <= 1000) facts.push(`<a href="${escapeHtml(link)}">Open alert</a>`);
  const body = `\n\n${facts.join('\n')}`;
  const summary = text(alert.summary, Math.max(0, room - body.length));
  return `${summary}${body}`;
}

const LINE_FORMATS = LINE_DETAILS.map((detail) => (alert: AlertView) => alertLine(alert, detail));

function alertLine(alert: AlertView, detail: LineDetail): string {
  const rule = detail.ruleName ? `${alert.ruleId} ${alert.ruleName}` : alert.ruleId;
  const pieces = [`<b>${severityLabel(alert.severity)}</b>`, text(rule, 80), text(entityOf(alert), 80)];
  if (detail.tenant) pieces.push(`tenant ${text(tenantsOf(alert), 80)}`);
  let line = `• ${pieces.join(' · ')}`;
  if (detail.summaryChars > 0) line += ` — ${text(alert.summary, detail.summaryChars)}`;
  const link = safeLink(alert.link);
  if (link !== null && link.length <= 500) line += ` <a href="${escapeHtml(link)}">open</a>`;
  return line;
}

/** Escaped text on one line, at most `max` characters once escaped. */
function text(value: string, max: number): string {
  return truncateEscaped(singleLine(value), max, escapeHtml);
}
