import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export type Resource = 'graph' | 'management' | 'partnerCenter';

export const RESOURCE_BY_SCOPE: Readonly<Record<string, Resource>> = {
  'https://graph.microsoft.com/.default': 'graph',
  'https://manage.office.com/.default': 'management',
  'https://api.partnercenter.microsoft.com/.default': 'partnerCenter',
};

const AUDIENCE: Readonly<Record<Resource, string>> = {
  graph: 'https://graph.microsoft.com',
  management: 'https://manage.office.com',
  partnerCenter: 'https://api.partnercenter.microsoft.com',
};

export interface TokenClaims {
  readonly aud: string;
  readonly tid: string;
  readonly appid: string;
  readonly iat: number;
  readonly exp: number;
  readonly roles: readonly string[];
}

/**
 * Issues and checks bearer tokens shaped like Entra's (three base64url parts,
 * `aud`, `tid`, `appid`, `exp` in seconds), signed with a key that lives only
 * in this process. Expiry follows the wall clock, as token lifetimes do.
 */
export class TokenAuthority {
  readonly #key = randomBytes(32);
  readonly lifetimeSeconds: number;

  constructor(lifetimeSeconds = 3599) {
    this.lifetimeSeconds = lifetimeSeconds;
  }

  issue(tenantId: string, appId: string, resource: Resource, nowMs = Date.now()): string {
    const iat = Math.floor(nowMs / 1000);
    const claims: TokenClaims & { uti: string } = {
      aud: AUDIENCE[resource],
      tid: tenantId,
      appid: appId,
      iat,
      exp: iat + this.lifetimeSeconds,
      roles: [
        'AuditLog.Read.All',
        'Directory.Read.All',
        'ActivityFeed.Read',
        'DeviceManagementManagedDevices.Read.All',
        'Mail.Send',
      ],
      uti: randomUUID(),
    };
    const head = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'nightjar-simulator' }));
    const body = base64url(JSON.stringify(claims));
    return `${head}.${body}.${this.#sign(`${head}.${body}`)}`;
  }

  /** The claims of a valid, unexpired token for `resource`, or why it is refused. */
  verify(authorization: string | undefined, resource: Resource, nowMs = Date.now()): TokenClaims | { refused: string } {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (!token) return { refused: 'Access token is empty.' };
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature || this.#sign(`${head}.${body}`) !== signature)
      return { refused: 'Access token validation failure. Invalid signature.' };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as TokenClaims;
    if (claims.exp * 1000 <= nowMs) return { refused: 'Access token has expired or is not yet valid.' };
    if (claims.aud !== AUDIENCE[resource]) return { refused: `Invalid audience: ${claims.aud}.` };
    return claims;
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
