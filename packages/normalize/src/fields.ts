/**
 * Tolerant field access. Microsoft's feeds spell the same field several ways (Graph camelCase,
 * Sentinel PascalCase, Panther lower case) and some pipelines turn nested objects or numbers into
 * strings, so lookups ignore case and the readers accept both encodings.
 */
export type Rec = Record<string, unknown>;

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of `name`, matched exactly first and then ignoring case. */
export function get(rec: Rec, name: string): unknown {
  const direct = rec[name];
  if (direct !== undefined) return direct;
  // A miss scans the keys; comparing lengths first keeps it cheap without allocating an index.
  const lower = name.toLowerCase();
  for (const key in rec) {
    if (key.length === lower.length && key.toLowerCase() === lower) return rec[key];
  }
  return undefined;
}

/** The first of `names` that holds something other than null, undefined or an empty string. */
export function first(rec: Rec, ...names: string[]): unknown {
  for (const name of names) {
    const value = get(rec, name);
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return null;
}

function parsedJson(value: string, opening: string): unknown {
  const trimmed = value.trim();
  if (!trimmed.startsWith(opening)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** A nested object, also when an export flattened it into a JSON string. */
export function obj(value: unknown): Rec | null {
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    const parsed = parsedJson(value, '{');
    return isRecord(parsed) ? parsed : null;
  }
  return null;
}

/** A nested array, also when an export flattened it into a JSON string. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const parsed = parsedJson(value, '[');
    return Array.isArray(parsed) ? parsed : [];
  }
  return [];
}

export function strings(value: unknown): string[] {
  return list(value).filter((item): item is string => typeof item === 'string' && item !== '');
}

/** `[{Name, Value}]` lists of the Management Activity API as a lookup. */
export function nameValues(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of list(value)) {
    if (!isRecord(item)) continue;
    const name = text(get(item, 'Name'));
    const val = text(get(item, 'Value'));
    if (name !== null && val !== null) out.set(name, val);
  }
  return out;
}

export function lower(value: string | null): string | null {
  return value === null ? null : value.toLowerCase();
}

/** A value as it appears in an error message. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
