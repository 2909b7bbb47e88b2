/**
 * The fields the engine and rules rely on, checked before any rule sees an
 * event. Nullable fields may be missing (older writers) and become null; a
 * missing or mistyped required field rejects the event with the path named.
 * Families add their kind's guard here when their rules read it.
 */
import { z } from 'zod';
import type { EventKind, EventKinds } from '@nightjar/events';

const text = z.string().min(1);
const optionalText = z.string().nullable().default(null);
const optionalNumber = z.number().nullable().default(null);

// Plain objects rather than looseObject: zod compiles their check, and the
// fields no guard names are carried over by checkEvent (about half the cost
// per sign-in of copying them through a catch-all).
const envelope = z.object({
  msp_id: text,
  tenant_id: text,
  event_id: text,
  time: z.number().finite(),
});

const signIn = envelope.extend({
  user_uid: text,
  user_name: text,
  is_interactive: z.boolean(),
  status: text,
  status_code: z.number().int(),
  is_legacy_auth: z.boolean().default(false),
  status_detail: optionalText,
  app_name: optionalText,
  src_ip: optionalText,
  src_country: optionalText,
  src_city: optionalText,
  src_lat: optionalNumber,
  src_lon: optionalNumber,
  client_app: optionalText,
  user_agent: optionalText,
  device_uid: optionalText,
  risk_level_during: optionalText,
  risk_level_aggregated: optionalText,
  risk_state: optionalText,
  risk_event_types: z.array(z.string()).default([]),
  correlation_id: optionalText,
  session_id: optionalText,
});

const userSnapshot = envelope.extend({
  user_uid: text,
  user_name: text,
  account_enabled: z.boolean(),
});

const directoryAudit = envelope.extend({
  activity: text,
  result: z.string().default('success'),
  actor_user_name: optionalText,
  targets: z.array(z.looseObject({ uid: optionalText, user_name: optionalText, type: optionalText })).default([]),
});

const GUARDS: Partial<Record<EventKind, z.ZodType>> = {
  'sign-in': signIn,
  'user-snapshot': userSnapshot,
  'directory-audit': directoryAudit,
};

export type Checked<K extends EventKind> = { ok: true; event: EventKinds[K] } | { ok: false; reason: string };

export function checkEvent<K extends EventKind>(kind: K, event: unknown): Checked<K> {
  const guard = GUARDS[kind] ?? envelope;
  const parsed = guard.safeParse(event);
  if (parsed.success) return { ok: true, event: { ...(event as object), ...(parsed.data as object) } as EventKinds[K] };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
  return { ok: false, reason: `invalid ${kind} event: ${issues.join('; ')}` };
}
