import { AuthError, DependencyUnavailableError, errorMessage, NightjarError, ThrottledError } from '@nightjar/core';
import type { AppCredentials, MicrosoftHttp, TokenProvider } from '@nightjar/m365';
import MailComposer from 'nodemailer/lib/mail-composer';
import { DeliveryError, type MailChannel, type MailDocument, type Notification } from './channel.ts';
import { NOTIFICATION_HEADER, renderHtml, renderSubject } from './render.ts';
import { messageIdFor } from './smtp.ts';

export interface GraphMailChannelOptions {
  /** Like https://graph.microsoft.com, without the version path. */
  readonly graphUrl: string;
  /** The sending mailbox (UPN); the app needs Mail.Send for it. */
  readonly from: string;
  readonly to: readonly string[];
  readonly credentials: AppCredentials;
  readonly tokens: TokenProvider;
  readonly http: MicrosoftHttp;
}

/**
 * Mail through Microsoft Graph sendMail, from a mailbox of the MSP's own
 * tenant. Graph answers 202 once the message is queued; its typed errors
 * (see @nightjar/m365) say whether trying again can help.
 */
export function createGraphMailChannel(options: GraphMailChannelOptions): MailChannel {
  if (options.to.length === 0) throw new RangeError('graph-mail needs at least one recipient');
  const url = `${options.graphUrl.replace(/\/$/, '')}/v1.0/users/${encodeURIComponent(options.from)}/sendMail`;
  async function post(body: string, contentType: string): Promise<{ status: number; response: string }> {
    try {
      const token = await options.tokens.token(options.credentials, 'graph');
      const response = await options.http.send(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body,
      });
      const requestId = response.headers['request-id'];
      return { status: response.status, response: requestId ? `accepted, request-id ${requestId}` : 'accepted' };
    } catch (error) {
      throw deliveryError(error);
    }
  }
  return {
    kind: 'graph-mail',
    send: (notification) => post(JSON.stringify(sendMailBody(notification, options.to)), 'application/json'),
    // Graph takes a MIME message as base64 in a text/plain body.
    sendDocument: async (document) => post(await mimeMessage(document, options.from, options.to), 'text/plain'),
  };
}

export function sendMailBody(notification: Notification, to: readonly string[]): Record<string, unknown> {
  return documentBody(
    { id: notification.id, subject: renderSubject(notification), html: renderHtml(notification), text: '' },
    to,
  );
}

/**
 * A document as one MIME message, base64 as Graph sendMail takes it: Graph's
 * JSON message holds a single body, and a digest needs its plain-text part
 * beside the HTML for the clients and filters that read only text.
 */
export async function mimeMessage(document: MailDocument, from: string, to: readonly string[]): Promise<string> {
  const composed = new MailComposer({
    from,
    to: [...to],
    subject: document.subject,
    text: document.text,
    html: document.html,
    messageId: messageIdFor(document, from),
    headers: { [NOTIFICATION_HEADER]: document.id },
  });
  const message = await composed.compile().build();
  return message.toString('base64');
}

/** Graph's JSON message takes one body; HTML it is, since every mail client reads it. */
function documentBody(document: MailDocument, to: readonly string[]): Record<string, unknown> {
  return {
    message: {
      subject: document.subject,
      body: { contentType: 'HTML', content: document.html },
      toRecipients: to.map((address) => ({ emailAddress: { address } })),
      internetMessageHeaders: [{ name: NOTIFICATION_HEADER, value: document.id }],
    },
    saveToSentItems: false,
  };
}

function deliveryError(error: unknown): DeliveryError {
  const status = statusOf(error);
  const base = { cause: error, ...(status === undefined ? {} : { status }) };
  if (error instanceof ThrottledError)
    return new DeliveryError(`Graph sendMail is throttled: ${error.message}`, {
      ...base,
      permanent: false,
      retryAfterMs: error.retryAfterMs,
    });
  if (error instanceof DependencyUnavailableError) {
    const wait = error.details['retryAfterMs'];
    return new DeliveryError(`Graph sendMail is unavailable: ${error.message}`, {
      ...base,
      permanent: false,
      ...(typeof wait === 'number' ? { retryAfterMs: wait } : {}),
    });
  }
  if (error instanceof AuthError) {
    const hint =
      status === 403
        ? ' (grant the Mail.Send application permission with admin consent, and allow the sending mailbox in any application access policy)'
        : '';
    return new DeliveryError(`Graph sendMail refused the app: ${error.message}${hint}`, { ...base, permanent: true });
  }
  if (error instanceof NightjarError)
    return new DeliveryError(`Graph sendMail failed: ${error.message}`, { ...base, permanent: !error.retryable });
  return new DeliveryError(`Graph sendMail failed: ${errorMessage(error)}`, { ...base, permanent: false });
}

function statusOf(error: unknown): number | undefined {
  if (!(error instanceof NightjarError)) return undefined;
  const status = error.details['status'];
  return typeof status === 'number' ? status : undefined;
}
