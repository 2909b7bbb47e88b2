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

/**
 * Records findings one at a time per incident (rule, scope, entity) in this
 * process: events of many users are evaluated concurrently, and two findings
 * of one spray racing to open its alert would otherwise each open one.
 */
export function createFindingRecorder(
  state: StateStore,
): (namespace: KeyNamespace, finding: Finding, context: FindingContext) => Promise<RecordedFinding> {
  const queues = new Map<string, Promise<unknown>>();
  return (namespace, finding, context) => {
    const incident = pointerKeyOf(namespace, finding, context.rule);
    // The queue holds settled promises only: a failed finding does not hold up the next.
    const previous = queues.get(incident) ?? Promise.resolve();
    const recorded = previous.then(() => recordFinding(state, namespace, finding, context));
    const settled = recorded.catch(() => undefined);
    queues.set(incident, settled);
    void settled.then(() => {
      if (queues.get(incident) === settled) queues.delete(incident);
    });
    return recorded;
  };
}

function pointerKeyOf(namespace: KeyNamespace, finding: Finding, rule: AnyRule): string {
  return namespace.key(
    finding.crossTenant ? 'msp' : 'tenant',
    rule.id,
    `open:${finding.entity.type}:${finding.entity.id}`,
  );
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
  const pointerKey = pointerKeyOf(namespace, finding, rule);
  const { alertId, raw } = await openAlertFor(state, finding, context, pointerKey, key, ttlMs);
  const documentKey = key(`alert:${alertId}`);
  const eventIds = [...new Set([context.eventId, ...(finding.relatedEventIds ?? [])])];

  let current = raw;
  let claimed = false;
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const alert = current === null ? null : (JSON.parse(current) as Alert);
    if (alert && eventIds.every((id) => alert.event_ids.includes(id))) return { alert, changed: false };
    if (alert && alert.event_ids.length >= EVIDENCE_CAP && !claimed) {
      const claim = await state.windowAdd(key(`seen:${alertId}`), context.eventId, finding.at, ttlMs, ttlMs);
      if (!claim.added) return { alert, changed: false };
      claimed = true;
    }
    const next = mergeFinding(alert, finding, { ...context, alertId, cap: EVIDENCE_CAP, eventIds });
    if (await state.compareAndSet(documentKey, current, JSON.stringify(next), ttlMs))
      return { alert: next, changed: true };
    current = await state.get(documentKey);
  }
  throw new Error(`alert ${alertId} of ${rule.id} kept changing during ${MAX_CAS_ROUNDS} compare-and-set rounds`);
}

/**
 * The alert a finding belongs to: the entity's open alert when the finding
 * falls within its episode, otherwise a new one. Opening one moves the
 * entity's pointer with compare-and-set, so when detector processes open an
 * alert for one entity at once, one wins and the others join it. A pointer
 * whose alert is not written yet is joined too (its opener is writing it, or
 * died before it could). A late finding of an older episode gets that
 * episode's own alert and leaves the pointer on the newer one.
 */
async function openAlertFor(
  state: StateStore,
  finding: Finding,
  context: FindingContext,
  pointerKey: string,
  key: (local: string) => string,
  ttlMs: number,
): Promise<{ alertId: string; raw: string | null }> {
  const { rule } = context;
  const window = rule.groupWindowMs;
  const tenantScope = finding.crossTenant ? 'cross-tenant' : context.tenantId;
  const ownAlertId = alertIdFor(rule, context.mspId, tenantScope, finding, Math.floor(finding.at / window));
  for (let round = 0; round < MAX_CAS_ROUNDS; round++) {
    const pointer = await state.get(pointerKey);
    let pointedLastSeen = Number.NEGATIVE_INFINITY;
    if (pointer) {
      const open = await state.get(key(`alert:${pointer}`));
      if (open === null) return { alertId: pointer, raw: null };
      const pointed = JSON.parse(open) as Alert;
      if (withinEpisode(pointed, finding.at, window)) return { alertId: pointer, raw: open };
      pointedLastSeen = pointed.last_seen;
    }
    if (finding.at < pointedLastSeen || (await state.compareAndSet(pointerKey, pointer, ownAlertId, ttlMs))) {
      return { alertId: ownAlertId, raw: await state.get(key(`alert:${ownAlertId}`)) };
    }
  }
  throw new Error(
    `the open alert of ${rule.id} for ${finding.entity.id} kept changing during ${MAX_CAS_ROUNDS} rounds`,
  );
}

function withinEpisode(alert: Alert, at: number, window: number): boolean {
  return at <= alert.last_seen + window && at >= alert.first_seen - window;
}
