/**
 * Grouping findings into one alert per incident. The alert itself (the
 * generated `Alert`) is the evidence document, stored as JSON in the state
 * store and updated with compare-and-set, so detector processes sharing Redis
 * converge on one alert id and one rising revision per incident.
 *
 * Idempotence: an update whose event ids are all already in the alert is
 * dropped. Past EVIDENCE_CAP ids, a per-alert window of seen event ids takes
 * over that role (claimed before the merge: a crash between the two loses
 * one count, never the alert).
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '@nightjar/state';
import type { Alert } from '@nightjar/events';
import type { AnyRule, Finding } from '../rule.ts';
import type { KeyNamespace } from './keys.ts';
import { mergeFinding } from './merge.ts';

export const EVIDENCE_CAP = 50;
const MAX_CAS_ROUNDS = 64;
const MIN_ALERT_TTL_MS = 24 * 3_600_000;

export interface FindingContext {
  readonly rule: AnyRule;
  readonly mspId: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly now: number;
}

export function alertIdFor(
  rule: AnyRule,
  mspId: string,
  tenantScope: string,
  finding: Finding,
  bucket: number,
): string {
  const parts = [rule.id, mspId, tenantScope, finding.entity.type, finding.entity.id, String(bucket)];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

export interface RecordedFinding {
  /** The alert as it stands after the finding. */
  readonly alert: Alert;
  /** False when the alert already held the finding's evidence, so this is not a new revision. */
  readonly changed: boolean;
}

/** Merges a finding into its incident's alert and returns the alert with whether it changed. */
export async function recordFinding(
  state: StateStore,
  namespace: KeyNamespace,
  finding: Finding,
  context: FindingContext,
): Promise<RecordedFinding> {
  const { rule } = context;
  const window = rule.groupWindowMs;
  const scope = finding.crossTenant ? 'msp' : 'tenant';
  const ttlMs = Math.max(window * 3, MIN_ALERT_TTL_MS);
  const key = (local: string): string => namespace.key(scope, rule.id, local);
  const pointerKey = key(`open:${finding.entity.type}:${finding.entity.id}`);

  const pointer = await state.get(pointerKey);
  let alertId: string | null = null;
  let raw: string | null = null;
  // A late finding of an older episode must not move the pointer back from the newer one.
  let pointedLastSeen = Number.NEGATIVE_INFINITY;
  if (pointer) {
    const open = await state.get(key(`alert:${pointer}`));
    const pointed = open === null ? null : (JSON.parse(open) as Alert);
    if (pointed) pointedLastSeen = pointed.last_seen;
    if (pointed && withinEpisode(pointed, finding.at, window)) [alertId, raw] = [pointer, open];
  }
  if (!alertId) {
    const tenantScope = finding.crossTenant ? 'cross-tenant' : context.tenantId;
    alertId = alertIdFor(rule, context.mspId, tenantScope, finding, Math.floor(finding.at / window));
    raw = await state.get(key(`alert:${alertId}`));
  }
  const documentKey = key(`alert:${alertId}`);
  const eventIds = [...new Set([context.eventId, ...(finding.relatedEventIds ?? [])])];

  let claimed = false;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const current = raw === null ? null : (JSON.parse(raw) as Alert);
    if (current && eventIds.every((id) => current.event_ids.includes(id))) return { alert: current, changed: false };
    if (current && current.event_ids.length >= EVIDENCE_CAP && !claimed) {
      const claim = await state.windowAdd(key(`seen:${alertId}`), context.eventId, finding.at, ttlMs, ttlMs);
      if (!claim.added) return { alert: current, changed: false };
      claimed = true;
    }
    const next = mergeFinding(current, finding, { ...context, alertId, cap: EVIDENCE_CAP, eventIds });
    if (await state.compareAndSet(documentKey, raw, JSON.stringify(next), ttlMs)) {
      if (pointer !== alertId && finding.at >= pointedLastSeen) await state.set(pointerKey, alertId, ttlMs);
      return { alert: next, changed: true };
    }
    raw = await state.get(documentKey);
  }
  throw new Error(`alert ${alertId} of ${rule.id} kept changing during ${MAX_CAS_ROUNDS} compare-and-set rounds`);
}

function withinEpisode(alert: Alert, at: number, window: number): boolean {
  return at <= alert.last_seen + window && at >= alert.first_seen - window;
}
