/**
 * Serving real-shaped records from files: Graph sign-ins or directory audits,
 * or Management API audit records, as a JSON array or a Graph page
 * (`{ "value": [...] }`). They join the tenant's own records and obey the
 * same clock.
 */
import { readFileSync } from 'node:fs';
import { InvalidRecordError } from '@nightjar/core';
import { parse } from 'yaml';
import type { ManagementContentType, MicrosoftRecord, World } from './cloud.ts';
import { MINUTE_MS } from './model.ts';
import { worldInternals } from './world.ts';

export type ReplayFeed = 'signIns' | 'directoryAudits' | ManagementContentType;

export interface ReplayRequest {
  readonly tenantId: string;
  readonly feed: ReplayFeed;
  readonly files: readonly string[];
  /** Moves every record by the same amount so the newest lands this many ms before now(); keeps original times when absent. */
  readonly endBeforeNowMs?: number;
}

const TIME_FIELD: Readonly<Record<string, string>> = {
  signIns: 'createdDateTime',
  directoryAudits: 'activityDateTime',
};

function parseDocument(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    // JSON Lines, as audit exports often are.
    try {
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
    } catch {
      // Microsoft's documentation samples carry trailing commas, which YAML's flow syntax accepts.
      try {
        return parse(text) as unknown;
      } catch (error) {
        throw new InvalidRecordError(`${path} is neither JSON nor JSON Lines`, { cause: error });
      }
    }
  }
}

function recordsIn(path: string): MicrosoftRecord[] {
  const document = parseDocument(path);
  const page = (document as { value?: unknown } | null)?.value;
  const list = Array.isArray(document) ? document : Array.isArray(page) ? page : [document];
  const records = list.filter(
    (item): item is MicrosoftRecord => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
  if (records.length !== list.length) throw new InvalidRecordError(`${path} holds something other than records`);
  return records;
}

function timeOf(record: MicrosoftRecord, field: string): number {
  const raw = record[field];
  if (typeof raw !== 'string') throw new InvalidRecordError(`record without ${field}`);
  // Management CreationTime has no zone suffix but is UTC.
  const at = Date.parse(field === 'CreationTime' && !/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? `${raw}Z` : raw);
  if (Number.isNaN(at)) throw new InvalidRecordError(`unreadable ${field} ${raw}`);
  return at;
}

function shifted(record: MicrosoftRecord, field: string, at: number): MicrosoftRecord {
  const iso = new Date(at).toISOString();
  return { ...record, [field]: field === 'CreationTime' ? iso.slice(0, 19) : iso };
}

/** Adds the files' records to the tenant; returns how many were added. */
export function loadRecordsFromFiles(world: World, request: ReplayRequest): number {
  const model = worldInternals(world).model(request.tenantId);
  const field = TIME_FIELD[request.feed] ?? 'CreationTime';
  const records = request.files.flatMap(recordsIn);
  const times = records.map((r) => timeOf(r, field));
  const newest = Math.max(...times);
  const offset = request.endBeforeNowMs === undefined ? 0 : world.now() - request.endBeforeNowMs - newest;
  records.forEach((original, i) => {
    const at = (times[i] ?? 0) + offset;
    const record = offset === 0 ? original : shifted(original, field, at);
    if (request.feed === 'signIns') {
      const kind = record['isInteractive'] === false ? 'nonInteractive' : 'interactive';
      model.store.addSignIn(kind, at, record);
    } else if (request.feed === 'directoryAudits') {
      model.store.addDirectoryAudit(at, record);
    } else {
      model.store.addAuditRecord(request.feed, at + 5 * MINUTE_MS, record);
    }
  });
  return records.length;
}
