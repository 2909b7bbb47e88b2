import { get, isRecord, text, type Rec } from '../fields.ts';

export type ReadItem = { record: unknown; location: string } | { error: string; location: string };

function isGraphPage(rec: Rec): boolean {
  const value = rec.value;
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(rec).every((key) => key === 'value' || key.startsWith('@'));
}

function parseMessage(message: string, location: string): ReadItem[] {
  try {
    return unwrap(JSON.parse(message), location);
  } catch (error) {
    return [{ error: `input.message is not JSON: ${(error as Error).message}`, location }];
  }
}

/**
 * The records inside one parsed JSON document: Graph pages (`value`, with @odata keys), arrays
 * (Management API content blobs), Azure Monitor exports (`records`), Partner Center collections
 * (`items`), SEKOIA tests (record as a JSON string in `input.message`), Panther tests (`Tests[].Log`),
 * Wazuh tests (`office365`). Anything else is one record.
 */
export function unwrap(value: unknown, location: string): ReadItem[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => unwrap(item, `${location}[${index}]`));
  if (!isRecord(value)) return [{ record: value, location }];
  if (isGraphPage(value)) return unwrap(value.value, `${location} value`);
  if (Array.isArray(value.records)) return unwrap(value.records, `${location} records`);
  const attributes = value.attributes;
  if (Array.isArray(value.items) && isRecord(attributes) && text(get(attributes, 'objectType')) === 'Collection') {
    return unwrap(value.items, `${location} items`);
  }
  const input = value.input;
  if (isRecord(input) && typeof input.message === 'string')
    return parseMessage(input.message, `${location} input.message`);
  if (Array.isArray(value.Tests)) {
    return value.Tests.flatMap((test, index) => {
      const name = isRecord(test) ? text(test.Name) : null;
      const where = `${location} Tests[${index}]${name === null ? '' : ` "${name}"`}`;
      return isRecord(test) && test.Log !== undefined ? [{ record: test.Log, location: where }] : [];
    });
  }
  if (isRecord(value.office365) && value.integration === 'office365') return [{ record: value.office365, location }];
  return [{ record: value, location }];
}
