import { InvalidRecordError } from '@nightjar/core';
import { text } from './fields.ts';

export interface NormalizeContext {
  readonly mspId: string;
  /** The customer tenant, when the caller knows it; otherwise taken from the record. */
  readonly tenantId?: string;
  /** Feed the record came from, e.g. graph.signIns.interactive, management.Audit.Exchange, replay.file */
  readonly source: string;
  readonly ingestTime: number;
  /** Management Activity content type the record was listed under, when known. */
  readonly contentType?: string;
}

export interface EventBase {
  msp_id: string;
  tenant_id: string;
  source: string;
  event_id: string;
  time: number;
  ingest_time: number;
}

/** Tenant from the context, else from the first candidate the record carries. */
export function tenantOf(context: NormalizeContext, kind: string, ...candidates: unknown[]): string {
  if (context.tenantId !== undefined && context.tenantId !== '') return context.tenantId;
  for (const candidate of candidates) {
    const value = text(candidate);
    if (value !== null) return value;
  }
  throw new InvalidRecordError(`${kind} record has no tenant id and the context gives none`);
}

export function base(context: NormalizeContext, tenantId: string, eventId: string, time: number): EventBase {
  return {
    msp_id: context.mspId,
    tenant_id: tenantId,
    source: context.source,
    event_id: eventId,
    time,
    ingest_time: context.ingestTime,
  };
}
