import type { Alert } from '@nightjar/events';
import type { Finding, Severity } from '../rule.ts';
import { SEVERITIES } from '../rule.ts';
import type { FindingContext } from './alerts.ts';

export interface MergeContext extends FindingContext {
  readonly alertId: string;
  readonly cap: number;
  /** The current event first, then the finding's related events. */
  readonly eventIds: readonly string[];
}

/** The alert after one more finding: pure, so every process computes the same document from the same inputs. */
export function mergeFinding(current: Alert | null, finding: Finding, context: MergeContext): Alert {
  const { rule } = context;
  const known = new Set(current?.event_ids ?? []);
  const fresh = context.eventIds.filter((id) => !known.has(id));
  // Past the cap only the current event can be vouched for as new (the seen-set claimed it).
  const added = current && current.event_ids.length >= context.cap ? 1 : Math.max(1, fresh.length);
  const firstSeen = Math.min(finding.since ?? finding.at, finding.at);
  // Processes race, so "latest merged" is arbitrary: counts keep their maximum,
  // and the summary and text details follow the most severe, then latest-in-event-time finding.
  const leads = !current || outranks(finding.severity ?? rule.severity, finding.at, current);
  const details: Record<string, string> = { ...current?.details };
  for (const [name, value] of Object.entries(finding.details ?? {})) {
    const kept = details[name];
    if (typeof value === 'number' && kept !== undefined && Number.isFinite(Number(kept)))
      details[name] = String(Math.max(Number(kept), value));
    else if (leads || kept === undefined) details[name] = String(value);
  }
  const tenantIds = union(
    current?.tenant_ids ?? [],
    [context.tenantId, ...(finding.tenantIds ?? [])],
    Number.POSITIVE_INFINITY,
  );

  return {
    alert_id: context.alertId,
    revision: (current?.revision ?? 0) + 1,
    msp_id: context.mspId,
    tenant_id: finding.crossTenant ? null : context.tenantId,
    tenant_ids: tenantIds,
    rule_id: rule.id,
    rule_name: rule.name,
    severity: higherSeverity(current?.severity ?? 'info', finding.severity ?? rule.severity),
    mitre_techniques: [...rule.mitre],
    entity_type: finding.entity.type,
    entity_id: finding.entity.id,
    summary: leads || !current ? finding.summary : current.summary,
    first_seen: Math.min(current?.first_seen ?? firstSeen, firstSeen),
    last_seen: Math.max(current?.last_seen ?? finding.at, finding.at),
    event_count: (current?.event_count ?? 0) + added,
    event_ids: union(current?.event_ids ?? [], fresh, context.cap),
    users: union(current?.users ?? [], finding.users ?? [], context.cap),
    ips: union(current?.ips ?? [], finding.ips ?? [], context.cap),
    countries: union(current?.countries ?? [], finding.countries ?? [], context.cap),
    details,
    created_time: current?.created_time ?? context.now,
    updated_time: context.now,
  };
}

function outranks(severity: Severity, at: number, current: Alert): boolean {
  const rank = (value: string): number => SEVERITIES.indexOf(value as Severity);
  if (rank(severity) !== rank(current.severity)) return rank(severity) > rank(current.severity);
  return at >= current.last_seen;
}

function union(kept: readonly string[], more: readonly string[], cap: number): string[] {
  const result = [...kept];
  for (const value of more) {
    if (result.length >= cap) break;
    if (!result.includes(value)) result.push(value);
  }
  return result;
}

export function higherSeverity(a: string, b: Severity): Severity {
  const rank = (severity: string): number => SEVERITIES.indexOf(severity as Severity);
  return rank(a) >= rank(b) ? (a as Severity) : b;
}
