import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Secret } from '@nightjar/core';
import nodemailer, { type NodemailerError, type SMTPTransportOptions } from 'nodemailer';
import {
  DeliveryError,
  type DeliveryReceipt,
  type MailChannel,
  type MailDocument,
  type Notification,
} from './channel.ts';
import { redact } from './http-post.ts';
import { NOTIFICATION_HEADER, renderHtml, renderSubject, renderText } from './render.ts';

export type SmtpSecurity = 'starttls' | 'tls' | 'none';

export interface SmtpChannelOptions {
  readonly host: string;
  readonly port: number;
  /** 'tls': implicit TLS (port 465); 'starttls': STARTTLS required (port 587); 'none': plain text. */
  readonly security: SmtpSecurity;
  readonly username?: string;
  readonly password?: Secret;
  readonly from: string;
  readonly to: readonly string[];
  readonly tls?: { readonly ca?: string; readonly rejectUnauthorized?: boolean };
  readonly timeoutMs?: number;
}

export interface SmtpChannel extends MailChannel {
  /** Ends any connection still open; sends after it open a new one. */
  close(): Promise<void>;
}

/**
 * Mail through an SMTP relay with nodemailer. A connection per message: a
 * notifier sends a few messages a minute, and a fresh connection never
 * meets a session the relay has already dropped.
 */
export function createSmtpChannel(options: SmtpChannelOptions): SmtpChannel {
  if (options.to.length === 0) throw new RangeError('smtp needs at least one recipient');
  if (options.password !== undefined && options.username === undefined)
    throw new RangeError('smtp password given without a username');
  const transport = nodemailer.createTransport(transportOptions(options));
  const secrets = [options.password?.reveal() ?? ''];
  async function deliver(mail: MailDocument, messageId: string): Promise<DeliveryReceipt> {
    try {
      const info = await transport.sendMail({
        from: options.from,
        to: [...options.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId,
        headers: { [NOTIFICATION_HEADER]: mail.id },
      });
      const response = redact(info.response, secrets);
      const refused = info.rejected.length > 0 ? ` (refused: ${info.rejected.join(', ')})` : '';
      return { status: replyCode(response) ?? 250, response: `${response}${refused}` };
    } catch (error) {
      throw deliveryError(error as NodemailerError, secrets);
    }
  }
  return {
    kind: 'smtp',
    send: (notification) =>
      deliver(
        {
          id: notification.id,
          subject: renderSubject(notification),
          text: renderText(notification),
          html: renderHtml(notification),
        },
        messageIdFor(notification, options.from),
      ),
    sendDocument: (document) => deliver(document, messageIdFor(document, options.from)),
    async close() {
      transport.close();
    },
  };
}

function transportOptions(options: SmtpChannelOptions): SMTPTransportOptions {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const tls = {
    // SNI takes host names only.
    ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
    minVersion: 'TLSv1.2' as const,
    ...(options.tls?.ca === undefined ? {} : { ca: options.tls.ca }),
    ...(options.tls?.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: options.tls.rejectUnauthorized }),
  };
  return {
    host: options.host,
    port: options.port,
    secure: options.security === 'tls',
    requireTLS: options.security === 'starttls',
    ignoreTLS: options.security === 'none',
    tls,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    ...(options.username === undefined
      ? {}
      : { auth: { user: options.username, pass: options.password?.reveal() ?? '' } }),
  };
}

/**
 * The same notification always gets the same Message-ID, so a resend after
 * an uncertain failure is recognisable (and dropped by many mail systems).
 */
export function messageIdFor(notification: Pick<Notification, 'id'>, from: string): string {
  const safe = /^[A-Za-z0-9._-]{1,200}$/.test(notification.id)
    ? notification.id
    : createHash('sha256').update(notification.id).digest('hex').slice(0, 40);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'nightjar.invalid';
  return `<${safe}.nightjar@${domain}>`;
}

/** Errors nodemailer raises without an SMTP reply that no retry can fix. */
const CONFIGURATION_CODES = new Set(['ECONFIG', 'ENOAUTH', 'EREQUIRETLS']);

function deliveryError(error: NodemailerError, secrets: readonly string[]): DeliveryError {
  const response = error.response === undefined ? undefined : redact(error.response.trim(), secrets);
  const code = error.responseCode;
  const what = error.command ? ` to ${error.command.split(' ')[0]}` : '';
  if (code !== undefined) {
    // RFC 5321: 5yz is final, 4yz transient; 503 is a session out of step, fine on a new connection.
    const permanent = code >= 500 && code !== 503;
    return new DeliveryError(`SMTP server answered ${code}${what}: ${response ?? ''}`.trim(), {
      permanent,
      status: code,
      ...(response === undefined ? {} : { response }),
    });
  }
  const reason = redact(error.message, secrets);
  const permanent = error.code !== undefined && CONFIGURATION_CODES.has(error.code);
  return new DeliveryError(`SMTP delivery failed (${error.code ?? 'no code'}): ${reason}`, { permanent });
}

function replyCode(response: string): number | undefined {
  const match = /^(\d{3})/.exec(response);
  return match ? Number(match[1]) : undefined;
}
