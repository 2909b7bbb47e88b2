import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { errorMessage } from '@nightjar/core';
import { unwrap, type ReadItem } from './containers.ts';
import { parseCsv } from './csv.ts';
import { csvKind, officeActivityRecord, plainRecord, signInCsvRecord } from './csv-records.ts';
import type { Feed } from './detect-feed.ts';
import { isZip, zipEntries } from './zip.ts';

export type { ReadItem } from './containers.ts';
export type FileInput = string | { readonly text: string; readonly name: string };

const WAZUH_LOG_LINE = /^log \d+ pass = (\{.*\})\s*$/;

function* fromLines(text: string, name: string): Generator<ReadItem> {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]?.trim() ?? '';
    if (line === '') continue;
    const location = `${name}:${index + 1}`;
    try {
      yield* unwrap(JSON.parse(line), location);
    } catch (error) {
      yield { error: `line ${index + 1} is not JSON: ${errorMessage(error)}`, location };
    }
  }
}

function* fromWazuhTests(text: string, name: string): Generator<ReadItem> {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = WAZUH_LOG_LINE.exec(lines[index] ?? '');
    if (match?.[1] === undefined) continue;
    const location = `${name}:${index + 1}`;
    try {
      yield* unwrap(JSON.parse(match[1]), location);
    } catch (error) {
      yield { error: `line ${index + 1} is not JSON: ${errorMessage(error)}`, location };
    }
  }
}

function* fromCsv(text: string, name: string, feedHint?: string): Generator<ReadItem> {
  let headers: string[] | undefined;
  let kind: ReturnType<typeof csvKind> = 'plain';
  for (const row of parseCsv(text)) {
    const location = `${name}:${row.line}`;
    if ('error' in row) {
      yield { error: row.error, location };
      return;
    }
    if (headers === undefined) {
      headers = row.cells.map((cell) => cell.trim());
      kind = csvKind(headers, feedHint);
      continue;
    }
    if (row.cells.length !== headers.length) {
      yield { error: `line ${row.line} has ${row.cells.length} cells, the header has ${headers.length}`, location };
      continue;
    }
    const record =
      kind === 'signins'
        ? signInCsvRecord(headers, row.cells, name)
        : kind === 'office-activity'
          ? officeActivityRecord(headers, row.cells)
          : plainRecord(headers, row.cells);
    yield { record, location };
  }
}

/** A whole-document JSON that did not parse: one record per line (NDJSON), or JSON with trailing commas. */
function* fromBrokenJson(text: string, name: string, jsonError: unknown): Generator<ReadItem> {
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  let firstLineParses = true;
  try {
    JSON.parse(firstLine);
  } catch {
    firstLineParses = false;
  }
  if (firstLineParses) {
    yield* fromLines(text, name);
    return;
  }
  let document: unknown;
  try {
    // Microsoft's doc samples carry trailing commas; YAML's flow syntax accepts them.
    document = parseYaml(text.replace(/\t/g, '  '));
  } catch {
    yield { error: `not JSON, JSON Lines or CSV: ${errorMessage(jsonError)}`, location: name };
    return;
  }
  yield* unwrap(document, name);
}

/** The records in one file's text, whatever its format. */
export function* recordsFromText(text: string, name: string, feedHint?: Feed): Generator<ReadItem> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.trimStart();
  if (start === '') return;
  if (/^log \d+ pass = \{/m.test(body)) {
    yield* fromWazuhTests(body, name);
    return;
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch (error) {
      yield* fromBrokenJson(body, name, error);
      return;
    }
    yield* unwrap(document, name);
    return;
  }
  const firstLine = start.split('\n', 1)[0] ?? '';
  if (firstLine.includes(',')) {
    yield* fromCsv(body, name, feedHint);
    return;
  }
  yield { error: 'not JSON, JSON Lines or CSV', location: name };
}

/**
 * Records from a file for replay: Graph pages, JSON arrays, NDJSON, Management API content blobs,
 * Azure Monitor exports, peer test files, Entra sign-in and Sentinel OfficeActivity CSV exports,
 * and zip archives of any of these. Unreadable parts become error items with their location;
 * reading goes on.
 */
export async function* readRecords(input: FileInput, feedHint?: Feed): AsyncGenerator<ReadItem> {
  if (typeof input !== 'string') {
    yield* recordsFromText(input.text, input.name, feedHint);
    return;
  }
  const name = basename(input);
  let buffer: Buffer;
  try {
    buffer = await readFile(input);
  } catch (error) {
    yield { error: `cannot read file: ${errorMessage(error)}`, location: input };
    return;
  }
  if (!isZip(buffer)) {
    yield* recordsFromText(buffer.toString('utf8'), name, feedHint);
    return;
  }
  try {
    for (const entry of zipEntries(buffer)) {
      yield* recordsFromText(entry.data.toString('utf8'), `${name}!${entry.name}`, feedHint);
    }
  } catch (error) {
    yield { error: errorMessage(error), location: name };
  }
}
