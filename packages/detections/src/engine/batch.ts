import { EVENT_KINDS } from '@nightjar/events';
import type { Alert, EventKind } from '@nightjar/events';
import type { EngineInput, EngineResult, RejectedEvent } from './types.ts';

/**
 * Runs a batch the way the bus delivers it: events of one entity (the
 * topic's key, e.g. tenant/user) in order, since a rule's state for that
 * entity depends on it; different entities concurrently, `concurrency` at a time.
 */
export async function runBatch(
  inputs: readonly EngineInput[],
  process: (kind: EventKind, event: unknown) => Promise<EngineResult>,
  concurrency: number,
): Promise<EngineResult> {
  const chains = new Map<string, EngineInput[]>();
  for (const input of inputs) {
    const chainKey = orderingKey(input);
    const chain = chains.get(chainKey);
    if (chain) chain.push(input);
    else chains.set(chainKey, [input]);
  }
  const alerts: Alert[] = [];
  const alreadyRecorded: Alert[] = [];
  const rejects: RejectedEvent[] = [];
  const queue = [...chains.values()];
  async function worker(): Promise<void> {
    for (let chain = queue.shift(); chain; chain = queue.shift()) {
      for (const input of chain) {
        const result = await process(input.kind, input.event);
        alerts.push(...result.alerts);
        alreadyRecorded.push(...result.alreadyRecorded);
        rejects.push(...result.rejects);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return withoutUpdated({ alerts: latestRevisions(alerts), alreadyRecorded, rejects });
}

/** Keeps in `alreadyRecorded` only the latest revision of alerts that `alerts` does not update. */
export function withoutUpdated(result: EngineResult): EngineResult {
  const updated = new Set(result.alerts.map((alert) => alert.alert_id));
  return {
    ...result,
    alreadyRecorded: latestRevisions(result.alreadyRecorded.filter((alert) => !updated.has(alert.alert_id))),
  };
}

/** The latest revision of each alert: consumers upsert by id, so earlier ones add nothing. */
export function latestRevisions(alerts: readonly Alert[]): Alert[] {
  const latest = new Map<string, Alert>();
  for (const alert of alerts) {
    const seen = latest.get(alert.alert_id);
    if (!seen || seen.revision < alert.revision) latest.set(alert.alert_id, alert);
  }
  return [...latest.values()];
}

function orderingKey(input: EngineInput): string {
  try {
    const spec = EVENT_KINDS[input.kind] as { key: (event: unknown) => string };
    return spec.key(input.event);
  } catch {
    // Malformed events have no key; process() rejects them, in any order.
    return `${input.kind}:unkeyed`;
  }
}
