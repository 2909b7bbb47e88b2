import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';

/** ISO 8601 in, ClickHouse's DateTime64 text out (UTC). */
export const instant = z.iso.datetime({ offset: true }).transform((text) => clickhouseTime(Date.parse(text)));

export const toIso = (clickhouseTime: string): string => `${clickhouseTime.replace(' ', 'T')}Z`;

/** WHERE clauses and their parameters, added filter by filter. */
export class Where {
  readonly clauses: string[] = ['msp_id = {msp:String}'];
  readonly params: Record<string, unknown> = {};

  add(clause: string, params: Record<string, unknown> = {}): this {
    this.clauses.push(clause);
    Object.assign(this.params, params);
    return this;
  }

  when<T>(value: T | undefined, clause: string, name: string): this {
    return value === undefined ? this : this.add(clause, { [name]: value });
  }

  sql(): string {
    return this.clauses.join(' AND ');
  }
}
