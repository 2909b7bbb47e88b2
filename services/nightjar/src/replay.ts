import { createWriteStream } from 'node:fs';
import { errorMessage } from '@nightjar/core';
import type { DecodedEvent } from '@nightjar/events';
import {
  detectFeed,
  normalizeAuditRecord,
  normalizeDirectoryAudit,
  normalizeManagedDevice,
  normalizePartnerSubscription,
  normalizeSignIn,
  readRecords,
  type Feed,
  type NormalizeContext,
} from '@nightjar/normalize';

export type ReplayedEvent = DecodedEvent;

export interface ReplayReport {
  readonly read: number;
  readonly normalized: number;
  readonly rejected: readonly { location: string; reason: string }[];
  readonly byKind: Readonly<Record<string, number>>;
}

const NORMALIZERS: Readonly<Record<Feed, (record: unknown, context: NormalizeContext) => ReplayedEvent>> = {
  signins: (record, context) => ({ kind: 'sign-in', event: normalizeSignIn(record, context) }),
  directory: (record, context) => ({ kind: 'directory-audit', event: normalizeDirectoryAudit(record, context) }),
  audit: (record, context) => ({ kind: 'audit-record', event: normalizeAuditRecord(record, context) }),
  devices: (record, context) => ({ kind: 'device-snapshot', event: normalizeManagedDevice(record, context) }),
  subscriptions: (record, context) => ({
    kind: 'subscription-snapshot',
    event: normalizePartnerSubscription(record, context),
  }),
};

/**
 * Reads exported records (Graph pages, Management API blobs, NDJSON, the Entra
 * admin center's CSV and JSON exports) and pushes each through the same
 * normalizer the collectors use. A malformed record is reported with its
 * location (file and line) and the rest goes on.
 */
export async function replayFiles(
  files: readonly string[],
  options: { feed?: Feed; mspId: string; tenantId?: string; eventsOut?: string },
  emit: (events: readonly ReplayedEvent[]) => Promise<void>,
): Promise<ReplayReport> {
  const out = options.eventsOut ? createWriteStream(options.eventsOut) : undefined;
  const rejected: { location: string; reason: string }[] = [];
  const byKind: Record<string, number> = {};
  let read = 0;
  let normalized = 0;
  let batch: ReplayedEvent[] = [];
  const context: NormalizeContext = {
    mspId: options.mspId,
    source: 'replay.file',
    ingestTime: Date.now(),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
  };
  for (const file of files) {
    for await (const item of readRecords(file, options.feed)) {
      read += 1;
      if ('error' in item) {
        rejected.push({ location: item.location, reason: item.error });
        continue;
      }
      const feed = options.feed ?? detectFeed(item.record);
      if (!feed) {
        rejected.push({
          location: item.location,
          reason: 'not a record of any feed Nightjar reads (give --feed to say which)',
        });
        continue;
      }
      try {
        const normalizedEvent = NORMALIZERS[feed](item.record, context);
        normalized += 1;
        byKind[normalizedEvent.kind] = (byKind[normalizedEvent.kind] ?? 0) + 1;
        batch.push(normalizedEvent);
        out?.write(`${JSON.stringify(normalizedEvent)}\n`);
      } catch (error) {
        rejected.push({ location: item.location, reason: errorMessage(error) });
      }
      if (batch.length >= 1_000) {
        await emit(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) await emit(batch);
  await new Promise<void>((resolve) => (out ? out.end(resolve) : resolve()));
  return { read, normalized, rejected, byKind };
}
