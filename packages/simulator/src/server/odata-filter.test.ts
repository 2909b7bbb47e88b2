import { describe, expect, it } from 'vitest';
import { FilterError, parseFilter } from './odata-filter.ts';

const ALLOWED = new Set(['createdDateTime', 'userPrincipalName', 'status/errorCode', 'signInEventTypes']);
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-02T00:00:00Z';
const OPEN = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY };

describe('OData $filter', () => {
  it('matches records on comparisons, dates compared as instants and strings case-insensitively', () => {
    const { predicate } = parseFilter(
      `createdDateTime ge ${FROM} and userPrincipalName eq 'Ada@Contoso.com' and status/errorCode eq 0`,
      ALLOWED,
    );
    const record = { createdDateTime: '2026-03-01T10:00:00.1234567Z', userPrincipalName: 'ada@contoso.com' };
    expect(predicate({ ...record, status: { errorCode: 0 } })).toBe(true);
    expect(predicate({ ...record, status: { errorCode: 50126 } })).toBe(false);
    expect(predicate({ ...record, createdDateTime: '2026-02-28T23:59:59Z', status: { errorCode: 0 } })).toBe(false);
  });

  it('gives the time range every match lies in when the bounds are joined by and', () => {
    const filter = parseFilter(
      `createdDateTime ge ${FROM} and createdDateTime le ${TO} and signInEventTypes/any(t: t eq 'nonInteractiveUser')`,
      ALLOWED,
    );
    expect(filter.timeRange('createdDateTime')).toEqual({ from: Date.parse(FROM), to: Date.parse(TO) });
    expect(filter.timeRange('activityDateTime')).toEqual(OPEN);
  });

  it('keeps bounds inside parentheses of a conjunction, drops those an or or a not makes optional', () => {
    expect(
      parseFilter(`(createdDateTime ge ${FROM}) and userPrincipalName eq 'a'`, ALLOWED).timeRange('createdDateTime'),
    ).toEqual({ ...OPEN, from: Date.parse(FROM) });
    expect(
      parseFilter(`createdDateTime ge ${FROM} or userPrincipalName eq 'a'`, ALLOWED).timeRange('createdDateTime'),
    ).toEqual(OPEN);
    expect(
      parseFilter(
        `userPrincipalName eq 'a' and (createdDateTime le ${TO} or createdDateTime ge ${FROM})`,
        ALLOWED,
      ).timeRange('createdDateTime'),
    ).toEqual(OPEN);
    expect(parseFilter(`not (createdDateTime le ${TO})`, ALLOWED).timeRange('createdDateTime')).toEqual(OPEN);
  });

  it('refuses a property the collection does not filter on, as Graph does', () => {
    expect(() => parseFilter(`ipAddress eq '192.0.2.1'`, ALLOWED)).toThrow(FilterError);
  });
});
