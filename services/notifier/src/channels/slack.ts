import type { Secret } from '@nightjar/core';
import type { Dispatcher } from 'undici';
import { DeliveryError, type AlertView, type Channel, type Notification } from './channel.ts';
import { fitAlertLines, LINE_DETAILS, type LineDetail } from './fit-lines.ts';
import {
  bySeverity,
  entityOf,
  headline,
  isoUtc,
  listPreview,
  safeLink,
  SEVERITY_MARK,
  severityCounts,
  severityLabel,
  singleLine,
  tenantsOf,
  truncate,
  truncateEscaped,
} from './format.ts';
import { post, retryAfter, shortResponse } from './http-post.ts';

export interface SlackChannelOptions {
  /** The incoming webhook URL; its path is the credential. */
  readonly webhookUrl: Secret;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs?: number;
}

/** Slack's Block Kit limits. */
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;
const MAX_HEADER_TEXT = 150;
const MAX_FALLBACK_TEXT = 3000;

const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 410]);

type Block = Readonly<Record<string, unknown>>;

/** Posts to a Slack incoming webhook, which answers a plain "ok". */
export function createSlackChannel(options: SlackChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    kind: 'slack',
    async send(notification) {
      const url = options.webhookUrl.reveal();
      const secrets = webhookSecrets(url);
      const response = await post(url, {
        dispatcher: options.dispatcher,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(slackMessage(notification)),
        target: 'Slack webhook',
        secrets,
        timeoutMs,
      });
      const answer = shortResponse(response.text, secrets);
      if (response.status >= 200 && response.status < 300) return { status: response.status, response: answer };
      const details = { status: response.status, response: answer };
      if (response.status === 429)
        throw new DeliveryError(`Slack rate limited the webhook (${answer || 429})`, {
          ...details,
          permanent: false,
          ...optionalRetry(retryAfter(response)),
        });
      if (PERMANENT_STATUSES.has(response.status))
        throw new DeliveryError(`Slack refused the message (${response.status} ${answer})`, {
          ...details,
          permanent: true,
        });
      throw new DeliveryError(`Slack answered ${response.status} ${answer}`.trim(), {
        ...details,
        permanent: response.status >= 400 && response.status < 500,
        ...optionalRetry(retryAfter(response)),
      });
    },
  };
}

/** The whole URL and each long part of its path: an answer may echo any of them. */
function webhookSecrets(url: string): string[] {
  const { pathname } = new URL(url);
  const segments = pathname.split('/').filter((segment) => segment.length >= 8);
  return [url, pathname, ...segments].sort((a, b) => b.length - a.length);
}

function optionalRetry(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** The webhook body: Block Kit for the reader, `text` for notifications and clients without blocks. */
export function slackMessage(notification: Notification): { text: string; blocks: Block[] } {
  const title = `${SEVERITY_MARK[notification.severity]} ${headline(notification)}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, MAX_HEADER_TEXT), emoji: true } },
  ];
  const [only] = notification.alerts;
  if (notification.alerts.length === 1 && only) blocks.push(...singleAlertBlocks(only, notification.update));
  else blocks.push(...groupBlocks(notification, MAX_BLOCKS - blocks.length));
  return { text: truncateEscaped(fallbackText(notification, title), MAX_FALLBACK_TEXT, escapeMrkdwn), blocks };
}

function fallbackText(notification: Notification, title: string): string {
  const [only] = notification.alerts;
  const prefix = notification.update ? 'Update: ' : '';
  if (notification.alerts.length === 1 && only) return `${prefix}${title}: ${singleLine(only.summary)}`;
  return `${prefix}${title} (${severityCounts(notification.alerts)})`;
}

function singleAlertBlocks(alert: AlertView, update: boolean): Block[] {
  const field = (label: string, value: string): Block => ({
    type: 'mrkdwn',
    text: `*${label}*\n${truncateEscaped(value, MAX_FIELD_TEXT - label.length - 3, escapeMrkdwn)}`,
  });
  const blocks: Block[] = [];
  if (update) blocks.push(context('Update: this alert was announced before and has changed or is still active.'));
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: truncateEscaped(alert.summary || 'No summary.', MAX_SECTION_TEXT, escapeMrkdwn) },
  });
  blocks.push({
    type: 'section',
    fields: [
      field('Severity', severityLabel(alert.severity)),
      field('Tenant', tenantsOf(alert)),
      field('Rule', `${alert.ruleId} ${alert.ruleName}`),
      field('Entity', entityOf(alert)),
      field('First seen', isoUtc(alert.firstSeen)),
      field('Last seen', isoUtc(alert.lastSeen)),
      field('Users', listPreview(alert.users)),
      field('IPs', listPreview(alert.ips)),
      field('Countries', listPreview(alert.countries)),
      field('Events', String(alert.eventCount)),
    ],
  });
  const facts = [
    alert.mitreTechniques.length > 0 ? `MITRE ATT&CK ${alert.mitreTechniques.join(', ')}` : '',
    `alert ${alert.alertId} rev ${alert.revision}`,
  ].filter(Boolean);
  blocks.push(context(facts.join(' · ')));
  const link = safeLink(alert.link);
  if (link !== null && link.length <= MAX_SECTION_TEXT) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open alert' }, url: link }],
    });
  }
  return blocks;
}

function groupBlocks(notification: Notification, room: number): Block[] {
  const alerts = bySeverity(notification.alerts);
  const intro = `${notification.update ? 'Update: ' : ''}${alerts.length} alerts: ${severityCounts(alerts)}`;
  // One block for the intro; the list takes the rest, less one for "and N more" when cut.
  const sections = room - 1;
  const fitted = fitAlertLines(
    alerts,
    LINE_FORMATS,
    { chunkChars: MAX_SECTION_TEXT, maxChunks: sections },
    { chunkChars: MAX_SECTION_TEXT, maxChunks: sections - 1 },
  );
  const blocks: Block[] = [context(intro)];
  for (const chunk of fitted.chunks) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  if (fitted.omitted > 0) {
    const listLink = safeLink(notification.listLink ?? null);
    blocks.push(
      listLink !== null && listLink.length <= 500
        ? {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: `and ${fitted.omitted} more: <${escapeMrkdwn(listLink)}|all ${alerts.length} in Nightjar>`,
              },
            ],
          }
        : context(`and ${fitted.omitted} more`),
    );
  }
  return blocks;
}

const LINE_FORMATS = LINE_DETAILS.map((detail) => (alert: AlertView) => alertLine(alert, detail));

function alertLine(alert: AlertView, detail: LineDetail): string {
  const part = (text: string, max: number): string => truncateEscaped(singleLine(text), max, escapeMrkdwn);
  const rule = detail.ruleName ? `${alert.ruleId} ${alert.ruleName}` : alert.ruleId;
  const pieces = [`*${severityLabel(alert.severity)}*`, `\`${part(rule, 80)}\``, part(entityOf(alert), 80)];
  if (detail.tenant) pieces.push(`tenant ${part(tenantsOf(alert), 80)}`);
  let line = pieces.join(' · ');
  if (detail.summaryChars > 0) line += ` — ${part(alert.summary, detail.summaryChars)}`;
  const link = safeLink(alert.link);
  if (link !== null && link.length <= 500) line += ` <${escapeMrkdwn(link)}|open>`;
  return line;
}

function context(text: string): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncateEscaped(text, MAX_SECTION_TEXT, escapeMrkdwn) }],
  };
}

/** Slack's control characters; escaping them also stops a summary from pinging <!channel>. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
