import { BlockList, isIP } from 'node:net';

let lastRaw: string | undefined;
let lastNormalized: string | null = null;

/**
 * The canonical form of an address as feeds spell it (brackets, ports,
 * `::ffff:` IPv4-mapped prefixes), or null when it is not one usable address:
 * redacted partner IPs (`x.x.x.XXX`), hostnames, empty values. Rules must
 * never key on a null address, so redacted sources are not lumped together.
 */
export function normalizeIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // Every rule asks about the same event's address in turn: remember the last answer.
  if (raw === lastRaw) return lastNormalized;
  lastNormalized = parseIp(raw);
  lastRaw = raw;
  return lastNormalized;
}

function parseIp(raw: string): string | null {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(value)) value = value.slice(7);
  const family = isIP(value);
  if (family === 0) return null;
  return family === 6 ? value.toLowerCase() : value;
}

/** A set of CIDR ranges (IPv4 and IPv6) that answers membership for raw feed addresses. */
export interface CidrSet {
  has(ip: string | null | undefined): boolean;
  readonly size: number;
}

/** Throws on a malformed range: settings are validated when they are written, not when an event arrives. */
export function cidrSet(ranges: readonly string[]): CidrSet {
  const list = new BlockList();
  for (const range of ranges) {
    const [address, prefixText] = range.trim().split('/');
    const normalized = normalizeIp(address);
    if (!normalized) throw new Error(`not an IP range: ${range}`);
    const type = isIP(normalized) === 6 ? 'ipv6' : 'ipv4';
    const maxPrefix = type === 'ipv6' ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) throw new Error(`bad prefix in ${range}`);
    list.addSubnet(normalized, prefix, type);
  }
  return {
    size: ranges.length,
    has(ip) {
      if (ranges.length === 0) return false;
      const normalized = normalizeIp(ip);
      if (!normalized) return false;
      return list.check(normalized, isIP(normalized) === 6 ? 'ipv6' : 'ipv4');
    },
  };
}
