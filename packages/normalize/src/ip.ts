import { isIP, isIPv4 } from 'node:net';
import { text } from './fields.ts';

// Partner (CSP/GDAP) sign-ins show addresses redacted as x.x.x.XXX (m365-api.md §2.2).
const REDACTED = /^[0-9a-fA-F.:]*[xX][0-9a-fA-FxX.:]*$/;

/** RFC 5952 form (lower case, zeros compressed) so the same address always compares equal. */
function canonicalV6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/**
 * The address without port or brackets: `1.2.3.4:5678`, `[1.2.3.4]:5678`, `[2001:db8::1]:443`,
 * `::ffff:1.2.3.4` (m365-api.md §9.1). Null for anything that is not an address (host names,
 * placeholders like `sanitized`); the original stays in `raw`.
 */
export function cleanIp(value: unknown): string | null {
  let s = text(value)?.trim() ?? null;
  if (s === null || s === '') return null;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end > 0) s = s.slice(1, end);
  } else {
    const colon = s.indexOf(':');
    if (colon > 0 && colon === s.lastIndexOf(':') && s.includes('.')) s = s.slice(0, colon);
  }
  if (s.toLowerCase().startsWith('::ffff:') && isIPv4(s.slice(7))) s = s.slice(7);
  const version = isIP(s);
  if (version === 4) return s;
  if (version === 6) return canonicalV6(s);
  return REDACTED.test(s) && s.includes('.') ? s : null;
}
