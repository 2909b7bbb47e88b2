import type { HistoryStore, QueryParams } from '@nightjar/store';

/**
 * The only way a route reads or writes history: bound to the caller's MSP
 * when the request is authenticated. Every statement must filter on
 * `msp_id = {msp:String}` and the value comes from the key, never from the
 * request, so no filter a caller sends can reach another MSP's rows.
 */
export class MspQueries {
  readonly mspId: string;
  readonly #store: HistoryStore;

  constructor(store: HistoryStore, mspId: string) {
    this.#store = store;
    this.mspId = mspId;
  }

  async query<Row = Record<string, unknown>>(sql: string, params: QueryParams = {}): Promise<Row[]> {
    return this.#store.query<Row>(confined(sql), this.#bind(params));
  }

  /** Rows written on the caller's behalf carry its MSP whatever the body said. */
  async insert(table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
    await this.#store.insert(
      table,
      rows.map((row) => ({ ...row, msp_id: this.mspId })),
    );
  }

  #bind(params: QueryParams): QueryParams {
    if ('msp' in params) throw new Error('the msp parameter is bound from the caller, not passed');
    return { ...params, msp: this.mspId };
  }
}

function confined(sql: string): string {
  if (!/\bmsp_id\s*=\s*\{msp:String\}/.test(sql))
    throw new Error('a query of MSP data must filter on msp_id = {msp:String}');
  return sql;
}
