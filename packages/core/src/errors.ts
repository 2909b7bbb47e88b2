/**
 * One taxonomy of failures for every package. Callers branch on `code` and
 * `retryable`, never on message text.
 */
export type ErrorCode = `NJ_${string}`;

export interface NightjarErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class NightjarError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: NightjarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** A setting is missing or invalid; the process must not start. */
export class ConfigError extends NightjarError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], options: NightjarErrorOptions = {}) {
    super('NJ_CONFIG_INVALID', `invalid configuration:\n  - ${issues.join('\n  - ')}`, options);
    this.issues = issues;
  }
}

/** Kafka, Redis, ClickHouse or a remote API cannot be reached right now. */
export class DependencyUnavailableError extends NightjarError {
  readonly dependency: string;
  constructor(dependency: string, message: string, options: NightjarErrorOptions = {}) {
    super(`NJ_${dependency.toUpperCase()}_UNAVAILABLE` as ErrorCode, message, { retryable: true, ...options });
    this.dependency = dependency;
  }
}

/** The remote side asked us to slow down; retry no sooner than `retryAfterMs`. */
export class ThrottledError extends NightjarError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: NightjarErrorOptions = {}) {
    super('NJ_THROTTLED', message, { retryable: true, ...options });
    this.retryAfterMs = retryAfterMs;
  }
}

/** A record that can never be processed; it goes to the dead-letter topic, not to a retry. */
export class InvalidRecordError extends NightjarError {
  constructor(reason: string, options: NightjarErrorOptions = {}) {
    super('NJ_RECORD_INVALID', reason, { retryable: false, ...options });
  }
}

/** Credentials were refused (wrong or expired secret, missing consent). Retrying will not help. */
export class AuthError extends NightjarError {
  constructor(code: ErrorCode, message: string, options: NightjarErrorOptions = {}) {
    super(code, message, { retryable: false, ...options });
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof NightjarError ? error.retryable : false;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
