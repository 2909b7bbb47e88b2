/**
 * The part of OData's $filter that Graph's reporting and directory APIs
 * accept: comparisons, and/or/not, parentheses, startswith, and `any` over
 * string collections. Parsed once per request into a predicate; a property
 * outside the collection's allowed list is Graph's 400, as on the real service.
 */
export type Predicate = (record: Readonly<Record<string, unknown>>) => boolean;

/** Epoch-ms bounds (inclusive) that every matching record's time lies within; either may be open. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

export interface ParsedFilter {
  readonly predicate: Predicate;
  /**
   * The bounds the filter puts on a date property through comparisons every
   * match must satisfy (joined by `and` at the top), so a caller holding
   * records in time order can look at that stretch only. The predicate
   * still decides: the range only ever includes more than it matches.
   */
  timeRange(property: string): TimeRange;
}

interface Comparison {
  readonly path: string;
  readonly operator: string;
  readonly value: unknown;
}

export class FilterError extends Error {}

type Token = { kind: 'word' | 'string' | 'number' | 'punct'; text: string };

const TOKEN =
  /\s*(?:('(?:[^']|'')*')|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][\w/.]*)|([(),:]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match || match[0].length === 0) {
      if (text.slice(start).trim() === '') break;
      throw new FilterError(`Syntax error at position ${start} in '${text}'.`);
    }
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].slice(1, -1).replaceAll("''", "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'number', text: match[3] });
    else if (match[4] !== undefined) tokens.push({ kind: 'word', text: match[4] });
    else tokens.push({ kind: 'punct', text: match[5]! });
  }
  return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string, allowed: ReadonlySet<string>): ParsedFilter {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const next = (): Token => {
    const token = tokens[position++];
    if (!token) throw new FilterError(`Unexpected end of filter '${text}'.`);
    return token;
  };
  const expect = (value: string): void => {
    const token = next();
    if (token.text !== value) throw new FilterError(`Expected '${value}' but found '${token.text}' in '${text}'.`);
  };
  const checkProperty = (path: string): string => {
    if (!allowed.has(path)) throw new FilterError(`Invalid filter clause: unsupported property '${path}'.`);
    return path;
  };

  function literal(): unknown {
    const token = next();
    if (token.kind === 'string' || token.kind === 'number')
      return token.kind === 'number' ? Number(token.text) : token.text;
    if (token.text === 'true' || token.text === 'false') return token.text === 'true';
    if (token.text === 'null') return null;
    throw new FilterError(`Expected a literal but found '${token.text}'.`);
  }

  /** `required` collects the comparisons every match must satisfy; branches of `or`, `not` and `any` are not. */
  function primary(lambdaVariable?: string, required?: Comparison[]): Predicate {
    const token = next();
    if (token.text === '(') {
      const inner = or(lambdaVariable, required);
      expect(')');
      return inner;
    }
    if (token.text === 'not') {
      const inner = primary(lambdaVariable);
      return (record) => !inner(record);
    }
    if (token.kind !== 'word') throw new FilterError(`Unexpected '${token.text}' in '${text}'.`);
    const name = token.text.toLowerCase();
    if (name === 'startswith' && peek()?.text === '(') {
      expect('(');
      const path = checkProperty(next().text);
      expect(',');
      const prefix = String(literal()).toLowerCase();
      expect(')');
      return (record) => {
        const value = valueAt(record, path);
        return typeof value === 'string' && value.toLowerCase().startsWith(prefix);
      };
    }
    if (token.text.endsWith('/any') && peek()?.text === '(') {
      const path = checkProperty(token.text.slice(0, -'/any'.length));
      expect('(');
      const variable = next().text;
      expect(':');
      const inner = or(variable);
      expect(')');
      return (record) => {
        const values = valueAt(record, path);
        return Array.isArray(values) && (values as unknown[]).some((value) => inner({ [variable]: value }));
      };
    }
    const path = lambdaVariable && token.text === lambdaVariable ? token.text : checkProperty(token.text);
    const operator = next().text;
    if (!COMPARISONS.has(operator)) throw new FilterError(`Unsupported operator '${operator}'.`);
    const expected = literal();
    required?.push({ path, operator, value: expected });
    return (record) => compare(valueAt(record, path), operator, expected);
  }

  function and(lambdaVariable?: string, required?: Comparison[]): Predicate {
    let left = primary(lambdaVariable, required);
    while (peek()?.text === 'and') {
      next();
      const first = left;
      const right = primary(lambdaVariable, required);
      left = (record) => first(record) && right(record);
    }
    return left;
  }

  function or(lambdaVariable?: string, required?: Comparison[]): Predicate {
    // A comparison is required only when no `or` offers an alternative to it.
    const branch: Comparison[] = [];
    let left = and(lambdaVariable, branch);
    let alternatives = false;
    while (peek()?.text === 'or') {
      next();
      alternatives = true;
      const first = left;
      const right = and(lambdaVariable, []);
      left = (record) => first(record) || right(record);
    }
    if (!alternatives) required?.push(...branch);
    return left;
  }

  const required: Comparison[] = [];
  const predicate = or(undefined, required);
  if (position < tokens.length) throw new FilterError(`Unexpected '${tokens[position]!.text}' in '${text}'.`);
  return { predicate, timeRange: (property) => timeRangeOf(required, property) };
}

function timeRangeOf(required: readonly Comparison[], property: string): TimeRange {
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  for (const { path, operator, value } of required) {
    if (path !== property || typeof value !== 'string' || !isDate(value)) continue;
    const at = Date.parse(value);
    if (Number.isNaN(at)) continue;
    if (operator === 'eq') {
      from = Math.max(from, at);
      to = Math.min(to, at);
    } else if (operator === 'ge' || operator === 'gt') from = Math.max(from, at);
    else if (operator === 'le' || operator === 'lt') to = Math.min(to, at);
  }
  return { from, to };
}

export function valueAt(record: Readonly<Record<string, unknown>>, path: string): unknown {
  let node: unknown = record;
  for (const segment of path.split('/')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  let left = actual;
  let right = expected;
  if (typeof expected === 'string' && typeof actual === 'string' && isDate(expected) && isDate(actual)) {
    left = Date.parse(actual);
    right = Date.parse(expected);
  } else if (typeof left === 'string' && typeof right === 'string') {
    // Graph compares strings case-insensitively (UPNs are lower case anyway).
    left = left.toLowerCase();
    right = right.toLowerCase();
  }
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return (left as number) > (right as number);
    case 'ge':
      return (left as number) >= (right as number);
    case 'lt':
      return (left as number) < (right as number);
    default:
      return (left as number) <= (right as number);
  }
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(value);
}
