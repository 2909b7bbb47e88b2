import { NightjarError, type NightjarErrorOptions } from '@nightjar/core';

/** ClickHouse rejected a statement (syntax, unknown table, type mismatch); the message is ClickHouse's own. */
export class StoreQueryError extends NightjarError {
  /** ClickHouse's numeric error code, e.g. "60" for UNKNOWN_TABLE. */
  readonly clickhouseCode: string;
  /** ClickHouse's error name, e.g. "UNKNOWN_TABLE", when it sent one. */
  readonly clickhouseType: string | undefined;
  constructor(
    message: string,
    clickhouseCode: string,
    clickhouseType: string | undefined,
    options: NightjarErrorOptions = {},
  ) {
    super('NJ_STORE_QUERY_FAILED', message, options);
    this.clickhouseCode = clickhouseCode;
    this.clickhouseType = clickhouseType;
  }
}

/** Another process owns the chDB data directory; only one process can open it at a time. */
export class StoreLockedError extends NightjarError {
  readonly path: string;
  constructor(path: string, message: string, options: NightjarErrorOptions = {}) {
    super('NJ_STORE_LOCKED', message, { retryable: false, ...options });
    this.path = path;
  }
}

/** A migration cannot be loaded or applied; the message names the file. */
export class MigrationError extends NightjarError {
  constructor(message: string, options: NightjarErrorOptions = {}) {
    super('NJ_STORE_MIGRATION_FAILED', message, { retryable: false, ...options });
  }
}
