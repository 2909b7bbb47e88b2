import { errorMessage } from '@nightjar/core';
import { StoreQueryError } from '@nightjar/store';

/**
 * ClickHouse errors that say the data is wrong, not that the server is: the
 * same rows would be refused on every retry. Anything else (a connection
 * error, a timeout, too many parts, a memory limit, a missing table before a
 * migration) is an outage and worth retrying.
 */
const DATA_REJECTIONS = new Map([
  ['6', 'CANNOT_PARSE_TEXT'],
  ['26', 'CANNOT_PARSE_QUOTED_STRING'],
  ['27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  ['38', 'CANNOT_PARSE_DATE'],
  ['41', 'CANNOT_PARSE_DATETIME'],
  ['53', 'TYPE_MISMATCH'],
  ['69', 'ARGUMENT_OUT_OF_BOUND'],
  ['70', 'CANNOT_CONVERT_TYPE'],
  ['72', 'CANNOT_PARSE_NUMBER'],
  ['117', 'INCORRECT_DATA'],
  ['130', 'CANNOT_READ_ARRAY_FROM_TEXT'],
  ['131', 'TOO_LARGE_STRING_SIZE'],
  ['321', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  ['376', 'CANNOT_PARSE_UUID'],
  ['407', 'DECIMAL_OVERFLOW'],
  ['467', 'CANNOT_PARSE_BOOL'],
  ['469', 'VIOLATED_CONSTRAINT'],
  ['675', 'CANNOT_PARSE_IPV4'],
  ['676', 'CANNOT_PARSE_IPV6'],
]);

export function isPermanentRejection(error: unknown): error is StoreQueryError {
  return error instanceof StoreQueryError && DATA_REJECTIONS.has(error.clickhouseCode);
}

export interface Rejected<T> {
  readonly item: T;
  readonly reason: string;
}

/**
 * Inserts `items` and returns the ones ClickHouse refuses for good, each with
 * ClickHouse's reason. An insert is all or nothing, so a refused one is split
 * in halves until the refused rows stand alone; the rest go in. An outage
 * throws, for the caller to retry the whole batch: the tables fold what was
 * already written.
 */
export async function insertRejectingBadRows<T>(
  items: readonly T[],
  insert: (part: readonly T[], range: string) => Promise<void>,
  offset = 0,
  whole = true,
): Promise<Rejected<T>[]> {
  if (items.length === 0) return [];
  try {
    // The whole batch keeps the range-less token it always had; parts get their own.
    await insert(items, whole ? '' : `:${offset}-${offset + items.length - 1}`);
    return [];
  } catch (error) {
    if (!isPermanentRejection(error)) throw error;
    if (items.length === 1) return [{ item: items[0]!, reason: errorMessage(error) }];
    const middle = Math.ceil(items.length / 2);
    return [
      ...(await insertRejectingBadRows(items.slice(0, middle), insert, offset, false)),
      ...(await insertRejectingBadRows(items.slice(middle), insert, offset + middle, false)),
    ];
  }
}
