import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { AuthError, DependencyUnavailableError, errorMessage } from '@nightjar/core';
import { StoreQueryError } from './errors.ts';
import type { CommandOptions, HistoryStore, InsertOptions, QueryParams } from './port.ts';

export interface ClientStoreOptions {
  readonly kind: HistoryStore['kind'];
  /** Where the data lives, for error messages; never carries credentials. */
  readonly target: string;
  /** Settings sent with every write, merged under the per-insert ones. */
  readonly writeSettings?: ClickHouseSettings;
  /**
   * How often a server reports progress on a long-running command. The
   * client times a request out after that long without a byte on its
   * socket, so this must stay well under the request timeout.
   */
  readonly progressIntervalMs?: number;
}

/** Node's socket errors and the client's own timeout: the server is not answering, the SQL is not at fault. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
]);
const AUTHENTICATION_FAILED = '516';
/** Servers quote 64-bit integers in JSON and chDB does not; pinning it keeps values above 2^53 exact on both. */
const readSettings: ClickHouseSettings = { output_format_json_quote_64bit_integers: 1 };

/** One HistoryStore over any @clickhouse/client, whether its connection is HTTP or chDB in-process. */
export function createClientStore(client: ClickHouseClient, options: ClientStoreOptions): HistoryStore {
  const { kind, target } = options;
  const writeSettings = options.writeSettings ?? {};
  // Progress arrives as response headers, which Node caps at 16 KiB in all
  // (about 80 progress lines): at one line per interval that bounds how long
  // a command can run.
  const longRunningSettings: ClickHouseSettings = {
    ...writeSettings,
    send_progress_in_http_headers: 1,
    http_headers_progress_interval_ms: String(options.progressIntervalMs ?? 10_000),
  };

  const translate = (error: unknown): Error => {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && /^\d+$/.test(code)) {
      const message = errorMessage(error);
      if (code === AUTHENTICATION_FAILED) {
        return new AuthError('NJ_CLICKHOUSE_AUTH', `${target} refused the credentials: ${message}`, { cause: error });
      }
      const type = (error as { type?: unknown }).type;
      return new StoreQueryError(message, code, typeof type === 'string' ? type : undefined, { cause: error });
    }
    if ((typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) || /timeout/i.test(errorMessage(error))) {
      return new DependencyUnavailableError(kind, `${target} is unreachable: ${errorMessage(error)}`, { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  };

  const run = async <T>(operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw translate(error);
    }
  };

  return {
    kind,
    command: (sql: string, params: QueryParams = {}, commandOptions: CommandOptions = {}) =>
      run(async () => {
        const settings = commandOptions.longRunning ? longRunningSettings : writeSettings;
        await client.command({ query: sql, query_params: { ...params }, clickhouse_settings: settings });
      }),
    insert: (table: string, rows: readonly object[], insertOptions: InsertOptions = {}) =>
      run(async () => {
        if (rows.length === 0) return;
        const settings: ClickHouseSettings = { ...writeSettings };
        if (insertOptions.deduplicationToken !== undefined) {
          settings.insert_deduplication_token = insertOptions.deduplicationToken;
        }
        await client.insert({ table, values: [...rows], format: 'JSONEachRow', clickhouse_settings: settings });
      }),
    query: <Row = Record<string, unknown>>(sql: string, params: QueryParams = {}) =>
      run(async () => {
        const result = await client.query({
          query: sql,
          query_params: { ...params },
          format: 'JSONEachRow',
          clickhouse_settings: readSettings,
        });
        return result.json<Row>();
      }),
    ping: async () => {
      const result = await client.ping();
      return result.success;
    },
    close: () => client.close(),
  };
}
