/**
 * Exchange facts shared by the mail rules: cmdlet parameters, recipient
 * addresses, and which domains belong to the tenant.
 *
 * "Internal" is decided from, in order: the rule's `internalDomains`
 * parameter (accepted domains the MSP lists per tenant), the domains of the
 * tenant's own users (learned from user snapshots into the shared
 * `tenant-domains` state, 30 days), the actor's and the mailbox's own domain,
 * and any *.onmicrosoft.com domain. A subdomain of an internal domain is
 * internal.
 */
import { z } from 'zod';
import type { AuditRecord, UserSnapshot } from '@nightjar/events';
import type { WindowEntry } from '@nightjar/state';
import type { RangeStep, RuleInput, WindowAddStep } from '../../rule.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Cmdlet parameters by lower-case name; `fields.Parameters` is a JSON-encoded list of {Name, Value}. */
export function parameters(event: AuditRecord): Map<string, string> {
  const result = new Map<string, string>();
  const encoded = event.fields.Parameters;
  if (!encoded) return result;
  let list: unknown;
  try {
    list = JSON.parse(encoded);
  } catch {
    return result;
  }
  if (!Array.isArray(list)) return result;
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { Name: name, Value: value } = entry as { Name?: unknown; Value?: unknown };
    if (typeof name !== 'string' || value === undefined || value === null) continue;
    result.set(name.toLowerCase(), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return result;
}

/** The e-mail addresses in a recipient parameter: `smtp:` prefixes, `;`/`,` lists and `"Name" [SMTP:a@b]` forms. */
export function addressesIn(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g)].map((match) => match[0].toLowerCase());
}

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export function isInternal(address: string, domains: ReadonlySet<string>): boolean {
  const domain = domainOf(address);
  if (domain.endsWith('.onmicrosoft.com')) return true;
  for (const internal of domains) if (domain === internal || domain.endsWith(`.${internal}`)) return true;
  return false;
}

const DOMAINS = { space: 'tenant-domains', key: 'domains' } as const;
const DOMAIN_MEMORY_MS = 30 * DAY;

/** Every mail rule plans this on user snapshots; the engine runs the identical step once. */
export function recordUserDomain(user: UserSnapshot): WindowAddStep | undefined {
  // Guests carry their home domain in the UPN (`eve_partner.example#EXT#@…`): not the tenant's.
  const guest = user.user_type === 'Guest' || user.user_name.toLowerCase().includes('#ext#');
  if (guest || !user.user_name.includes('@')) return undefined;
  return { op: 'windowAdd', ...DOMAINS, member: domainOf(user.user_name), at: user.time, windowMs: DOMAIN_MEMORY_MS };
}

export function knownDomains(at: number): RangeStep {
  return { op: 'range', ...DOMAINS, from: at - DOMAIN_MEMORY_MS, to: at, limit: 500 };
}

/** The tenant's internal domains for one record (see the module comment). */
export function internalDomains(
  event: AuditRecord,
  configured: readonly string[],
  learned: readonly WindowEntry[] | undefined,
  mailbox?: string | null,
): Set<string> {
  const domains = new Set(configured.map((domain) => domain.toLowerCase()));
  for (const entry of learned ?? []) domains.add(entry.member);
  for (const address of [event.user_id, mailbox ?? '']) if (address.includes('@')) domains.add(domainOf(address));
  return domains;
}

/** Exchange's own service identities, which apply admin-requested changes. */
export function isSystemActor(event: AuditRecord): boolean {
  return /^NT AUTHORITY\\|^S-1-5-18$/i.test(event.user_id) || event.user_type === 4;
}

export const succeeded = (event: AuditRecord): boolean =>
  event.result_status === null || /^(true|success|succeeded|partiallysucceeded)$/i.test(event.result_status);

/** Parameters of the rules that judge a cmdlet's destination addresses internal or external. */
export const destinationParams = z.object({
  /** The tenant's accepted domains not seen in its user names (subsidiaries, aliases). */
  internalDomains: z.array(z.string()).default([]),
  /** External destinations the tenant sends mail to on purpose (partners, archive and journaling services), addresses or domains. */
  allowedDestinations: z.array(z.string()).default([]),
});

/**
 * The plan of those rules: keep learning the tenant's domains from user snapshots, and read
 * them when a succeeded cmdlet that `matches` names an address in one of `parameterNames`.
 */
export function planDestinationCheck(
  input: RuleInput<'audit-record' | 'user-snapshot'>,
  matches: (event: AuditRecord) => boolean,
  parameterNames: readonly string[],
): { domain?: WindowAddStep | undefined; domains?: RangeStep } {
  if (input.kind === 'user-snapshot') return { domain: recordUserDomain(input.event) };
  const { event } = input;
  if (!matches(event) || !succeeded(event)) return {};
  const values = parameters(event);
  if (!parameterNames.some((name) => addressesIn(values.get(name)).length > 0)) return {};
  return { domains: knownDomains(event.time) };
}
