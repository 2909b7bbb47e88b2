export { MICROSOFT_CLOUD, RESOURCE_SCOPES } from './endpoints.ts';
export type { MicrosoftEndpoints, MicrosoftResource } from './endpoints.ts';
export { createMicrosoftHttp } from './http-client.ts';
export type { HttpRequest, HttpResponse, MicrosoftHttp, MicrosoftHttpOptions } from './http-client.ts';
export { microsoftError, retryAfterMs } from './errors.ts';
export { createTokenProvider } from './token-provider.ts';
export type { AppCredentials, TokenProvider } from './token-provider.ts';
export { UNLIMITED } from './budget.ts';
export { createLocalBudget, MICROSOFT_LIMITS, scaledLimits } from './local-budget.ts';
export type { BudgetLimits, RateLimit } from './local-budget.ts';
export type { MicrosoftApi, RequestBudget } from './budget.ts';
export { throttleBackoffMs, withRetry } from './retry.ts';
export type { RetryOptions } from './retry.ts';
export { createGraphClient } from './graph-client.ts';
export type { GraphClient, GraphPage, GraphQuery } from './graph-client.ts';
export { CONTENT_TYPES, createManagementClient, managementTime } from './management-client.ts';
export type {
  BlobContent,
  ClientLog,
  ContentBlob,
  ContentType,
  ManagementClient,
  ManagementClientOptions,
} from './management-client.ts';
export { createPartnerCenterClient } from './partner-center-client.ts';
export { createMicrosoftClients } from './microsoft-clients.ts';
export type { MicrosoftClients } from './microsoft-clients.ts';
export type { PartnerCenterClient } from './partner-center-client.ts';
