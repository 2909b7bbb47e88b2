/**
 * The history-store port: ClickHouse's SQL over `@clickhouse/client`, either
 * to a server over HTTP (distributed mode) or to chDB in-process (embedded
 * mode). Same client, same SQL; the contract is in ./testing/contract.ts.
 */
export type QueryParams = Readonly<Record<string, unknown>>;

export interface InsertOptions {
  /**
   * Makes a retried insert of the same block a no-op on a server with
   * non-replicated deduplication enabled; tables still deduplicate by key.
   */
  readonly deduplicationToken?: string;
}

export interface CommandOptions {
  /**
   * The statement may run longer than the request timeout (a backfill in a
   * migration): a server is asked to send progress while it works, which
   * keeps the connection from looking idle. In-process chDB has no timeout.
   */
  readonly longRunning?: boolean;
}

export interface HistoryStore {
  readonly kind: 'clickhouse' | 'chdb';
  /** DDL or statements that return no rows. */
  command(sql: string, params?: QueryParams, options?: CommandOptions): Promise<void>;
  insert(table: string, rows: readonly object[], options?: InsertOptions): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: QueryParams): Promise<Row[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface Migration {
  /** Sortable version, the NNN prefix of the file name. */
  readonly version: number;
  readonly name: string;
  /** Statements separated by semicolons at line ends. */
  readonly sql: string;
}
