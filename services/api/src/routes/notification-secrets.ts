const SECRET_FIELDS = new Set(['webhookUrl', 'botToken', 'signingSecret', 'clientSecret', 'password']);

/** What a secret reads back as. */
export const HIDDEN = '***';

/** Every secret of a notification document replaced by asterisks, for reading back. */
export function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_FIELDS.has(key) ? HIDDEN : redacted(inner)]),
    );
  return value;
}

export interface RestoredDocument {
  readonly document: unknown;
  /** Secrets sent as asterisks with no secret stored at the same place, as `body.targets.soc.webhookUrl`. */
  readonly missing: readonly string[];
}

/**
 * A document read back carries asterisks for its secrets, and a client that
 * edits one route and sends the rest back unchanged means "keep them": each
 * asterisk secret takes the value stored at the same place (same target name,
 * same route position). Stored as asterisks, it would break every delivery.
 */
export function withStoredSecrets(sent: unknown, stored: unknown): RestoredDocument {
  const missing: string[] = [];
  const document = restore(sent, stored, 'body', missing);
  return { document, missing };
}

function restore(sent: unknown, stored: unknown, path: string, missing: string[]): unknown {
  if (Array.isArray(sent)) {
    const storedItems: unknown[] = Array.isArray(stored) ? stored : [];
    return sent.map((item, index) => restore(item, storedItems[index], `${path}.${index}`, missing));
  }
  if (!sent || typeof sent !== 'object') return sent;
  const storedFields = stored && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  return Object.fromEntries(
    Object.entries(sent).map(([key, value]) => {
      const at = `${path}.${key}`;
      if (!SECRET_FIELDS.has(key) || value !== HIDDEN) return [key, restore(value, storedFields[key], at, missing)];
      const kept = storedFields[key];
      if (typeof kept === 'string' && kept !== HIDDEN) return [key, kept];
      missing.push(at);
      return [key, value];
    }),
  );
}

/** Whether a document sends any secret as asterisks. */
export function hidesSecrets(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hidesSecrets);
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) =>
    SECRET_FIELDS.has(key) && inner === HIDDEN ? true : hidesSecrets(inner),
  );
}
