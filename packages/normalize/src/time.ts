import { InvalidRecordError } from '@nightjar/core';
import { shown } from './fields.ts';

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(\.\d+)?\s*(AM|PM)?$/i;
// Graph's own form; Date.parse reads it (7 fractional digits included) without the repairs below.
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

function fromUsDate(match: RegExpExecArray): number {
  const [, month, day, year, hour, minute, second, fraction, half] = match;
  let h = Number(hour) % (half === undefined ? 24 : 12);
  if (half?.toUpperCase() === 'PM') h += 12;
  const ms = fraction === undefined ? 0 : Math.round(Number(fraction) * 1000);
  return Date.UTC(Number(year), Number(month) - 1, Number(day), h, Number(minute), Number(second ?? 0), ms);
}

/**
 * Epoch milliseconds from the date forms Microsoft's feeds use: ISO 8601 with 7 fractional digits,
 * without a zone (Management API CreationTime is UTC without `Z`), with a space instead of `T`
 * (Panther, Sentinel), with stray spaces after colons (Partner Center doc samples), the portal's
 * US form `4/26/2021, 7:17:10.000 AM`, or epoch numbers. NaN when none fits.
 */
export function parseTimeValue(value: unknown): number {
  if (typeof value === 'number') return value > 1e11 ? value : value * 1000;
  if (typeof value !== 'string') return Number.NaN;
  if (CANONICAL.test(value)) return Date.parse(value);
  let s = value.trim().replace(/:\s+/g, ':');
  const us = US_DATE.exec(s);
  if (us !== null) return fromUsDate(us);
  if (/^\d+(\.\d+)?$/.test(s)) return parseTimeValue(Number(s));
  s = s
    .replace(/^(\d{4}-\d{2}-\d{2})\s+(\d)/, '$1T$2')
    .replace(/T(\d):/, 'T0$1:')
    .replace(/(\.\d{3})\d+/, '$1');
  if (/T\d{2}:\d{2}/.test(s) && !HAS_ZONE.test(s)) s += 'Z';
  if (/ [+-]\d{2}:?\d{2}$/.test(s)) s = s.replace(' ', '');
  return Date.parse(s);
}

/** A required date: throws when missing or unreadable, naming the field. */
export function requiredTime(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') {
    throw new InvalidRecordError(`record has no ${field}`);
  }
  const ms = parseTimeValue(value);
  if (Number.isNaN(ms)) throw new InvalidRecordError(`${field} '${shown(value)}' is not a date`);
  return ms;
}

/** An optional date: null when absent or a "never" placeholder (year 1, Intune), throws when unreadable. */
export function optionalTime(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = requiredTime(value, field);
  return ms < 0 ? null : ms;
}
