/**
 * Legacy (basic authentication) clients as `clientAppUsed` names them (m365-api.md §2.2,
 * detections.md AUTH-014), compared in lower case. "Browser" and "Mobile Apps and Desktop
 * clients" are the modern ones.
 */
export const LEGACY_CLIENT_APPS: ReadonlySet<string> = new Set([
  'autodiscover',
  'authenticated smtp',
  'smtp',
  'exchange activesync',
  'exchange online powershell',
  'exchange web services',
  'imap',
  'imap4',
  'mapi',
  'mapi over http',
  'offline address book',
  'other clients',
  'outlook anywhere (rpc over http)',
  'outlook anywhere',
  'outlook service',
  'pop',
  'pop3',
  'reporting web services',
]);

/** User agents of ROPC / basic-auth sign-ins (AUTH-014: BAV2ROPC, CBAinPROD, CBAinTAR). */
export const LEGACY_USER_AGENTS: readonly string[] = ['bav2ropc', 'cbainprod', 'cbaintar'];

export function isLegacyAuth(clientApp: string | null, userAgent: string | null): boolean {
  if (clientApp !== null && LEGACY_CLIENT_APPS.has(clientApp.trim().toLowerCase())) return true;
  if (userAgent === null) return false;
  const agent = userAgent.toLowerCase();
  return LEGACY_USER_AGENTS.some((legacy) => agent.includes(legacy));
}
