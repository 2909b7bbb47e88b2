/**
 * Where Microsoft's services are. Production uses Microsoft's hosts; tests and
 * the embedded demo point every base URL at the simulator and trust its CA.
 */
export interface MicrosoftEndpoints {
  /** Entra ID, e.g. https://login.microsoftonline.com */
  readonly authority: string;
  /** Microsoft Graph, without the version path. */
  readonly graph: string;
  /** Office 365 Management Activity API. */
  readonly management: string;
  readonly partnerCenter: string;
  /** PEM of an extra CA to trust (the simulator's); Microsoft's own chain needs none. */
  readonly caCertPem?: string;
}

export const MICROSOFT_CLOUD: MicrosoftEndpoints = {
  authority: 'https://login.microsoftonline.com',
  graph: 'https://graph.microsoft.com',
  management: 'https://manage.office.com',
  partnerCenter: 'https://api.partnercenter.microsoft.com',
};

/** The `.default` scope of each resource a collector calls. */
export const RESOURCE_SCOPES = {
  graph: 'https://graph.microsoft.com/.default',
  management: 'https://manage.office.com/.default',
  partnerCenter: 'https://api.partnercenter.microsoft.com/.default',
} as const;
export type MicrosoftResource = keyof typeof RESOURCE_SCOPES;
