import type { MicrosoftRecord } from '../world/cloud.ts';
import { BETA_ONLY_SIGNIN_FIELDS } from '../world/signins.ts';

const BETA_ONLY = new Set<string>(BETA_ONLY_SIGNIN_FIELDS);

// Records never change once made, so each one's v1.0 view is built once, not on every page.
const V1_VIEWS = new WeakMap<MicrosoftRecord, MicrosoftRecord>();

/** A sign-in as v1.0 shows it: without the properties only beta has. */
export function withoutBetaFields(record: MicrosoftRecord): MicrosoftRecord {
  const cached = V1_VIEWS.get(record);
  if (cached) return cached;
  // Copying key by key keeps the objects' shapes stable; `delete` would not.
  const copy: Record<string, unknown> = {};
  V1_VIEWS.set(record, copy);
  for (const key in record) if (!BETA_ONLY.has(key)) copy[key] = record[key];
  return copy;
}

/** Interactive and non-interactive sign-ins as beta lists them together, newest first. */
export function mergeNewestFirst(a: readonly MicrosoftRecord[], b: readonly MicrosoftRecord[]): MicrosoftRecord[] {
  const merged: MicrosoftRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (
      right === undefined ||
      (left !== undefined && String(left['createdDateTime']) >= String(right['createdDateTime']))
    )
      merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}
