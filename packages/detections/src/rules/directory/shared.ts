/** Directory-audit facts shared by the directory rules. */
import type { AuditTarget, DirectoryAudit } from '@nightjar/events';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * A modified property's value decoded: Microsoft JSON-encodes them, sometimes
 * twice (`"\"Global Administrator\""`, `"[{\"State\":1}]"`), so parse while
 * the result is still JSON text.
 */
export function decodeValue(value: string | null): unknown {
  let current: unknown = value;
  for (let depth = 0; depth < 3 && typeof current === 'string'; depth += 1) {
    const text = current.trim();
    if (!/^["[{]/.test(text)) return text;
    try {
      current = JSON.parse(text);
    } catch {
      return text;
    }
  }
  return current;
}

export function findProperty(event: DirectoryAudit, name: string): { old: unknown; new: unknown } | null {
  for (const target of event.targets) {
    const property = target.modified_properties.find((candidate) => candidate.name === name);
    if (property) return { old: decodeValue(property.old_value), new: decodeValue(property.new_value) };
  }
  return null;
}

/** The user (or, failing that, the first named object) an audit record acts on. */
export function targetName(event: DirectoryAudit, type?: string): string | null {
  const targets = type ? event.targets.filter((target) => target.type === type) : event.targets;
  const user = targets.find((target) => target.user_name);
  return user?.user_name ?? first(targets)?.name ?? first(targets)?.uid ?? null;
}

function first(targets: readonly AuditTarget[]): AuditTarget | undefined {
  return targets.find((target) => target.name || target.uid);
}

export function actorOf(event: DirectoryAudit): string {
  return event.actor_user_name ?? event.actor_app_name ?? event.actor_app_uid ?? 'unknown actor';
}

export const isSuccess = (event: DirectoryAudit): boolean => event.result === 'success';
