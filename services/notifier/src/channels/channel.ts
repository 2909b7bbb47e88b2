/**
 * What every outside channel (Slack, Telegram, e-mail, webhooks) implements:
 * send one notification, answer with the provider's receipt, or fail with a
 * DeliveryError that says whether and when to try again.
 */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The parts of an alert a message shows. */
export interface AlertView {
  readonly alertId: string;
  readonly revision: number;
  readonly mspId: string;
  /** Null for incidents spanning several tenants. */
  readonly tenantId: string | null;
  readonly tenantIds: readonly string[];
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly mitreTechniques: readonly string[];
  readonly entityType: string;
  readonly entityId: string;
  readonly summary: string;
  /** Epoch milliseconds of the earliest and latest evidence. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly eventCount: number;
  readonly users: readonly string[];
  readonly ips: readonly string[];
  readonly countries: readonly string[];
  /** Where an analyst opens the alert (the API), when one is configured. */
  readonly link: string | null;
  /** Epoch milliseconds the engine first raised it; what the API's alert list filters on. */
  readonly createdTime?: number;
}

/** One message to one target: a single alert, or several grouped. */
export interface Notification {
  /** Stable for the same content: idempotency key for receivers (webhook header, mail Message-ID). */
  readonly id: string;
  readonly mspId: string;
  /** Highest severity among the alerts. */
  readonly severity: Severity;
  /** One line: "HIGH AUTH-005 Password spray" or "37 alerts for Contoso MSP (12 high)". */
  readonly title: string;
  /** At least one, newest first. */
  readonly alerts: readonly AlertView[];
  /** True when this re-announces alerts already notified (severity rose, or the cadence elapsed). */
  readonly update: boolean;
  /**
   * The API's alert list narrowed to a span holding every alert of a grouped
   * message, so a message too long to name them all still reaches each one.
   */
  readonly listLink?: string;
}

export interface DeliveryReceipt {
  /** The provider's HTTP status, or the SMTP reply code. */
  readonly status: number;
  /** Short, secret-free text of the provider's answer (message id, "ok"), for the delivery record. */
  readonly response: string;
}

export type ChannelKind = 'slack' | 'telegram' | 'webhook' | 'graph-mail' | 'smtp';

export interface Channel {
  readonly kind: ChannelKind;
  /** Resolves once the provider accepted the message; otherwise throws DeliveryError. */
  send(notification: Notification): Promise<DeliveryReceipt>;
}

/** A composed mail (daily digests, reports): what only the mail channels carry. */
export interface MailDocument {
  /** Stable per document (the digest's scope and day): Message-ID and X-Nightjar-Notification. */
  readonly id: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface MailChannel extends Channel {
  sendDocument(document: MailDocument): Promise<DeliveryReceipt>;
}

export function isMailChannel(channel: Channel): channel is MailChannel {
  return typeof (channel as Partial<MailChannel>).sendDocument === 'function';
}

/**
 * A failed delivery. `permanent` failures (400, 401, 403, 404, a refused
 * recipient) are not retried; the others are, no sooner than `retryAfterMs`
 * when the provider said so (Slack's Retry-After, Telegram's retry_after).
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly response: string | undefined;

  constructor(
    message: string,
    details: { permanent: boolean; retryAfterMs?: number; status?: number; response?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DeliveryError';
    this.permanent = details.permanent;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
    this.response = details.response;
  }
}
