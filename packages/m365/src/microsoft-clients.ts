import type { RequestBudget } from './budget.ts';
import type { MicrosoftEndpoints } from './endpoints.ts';
import { createGraphClient, type GraphClient } from './graph-client.ts';
import type { MicrosoftHttp } from './http-client.ts';
import { createManagementClient, type ManagementClient, type ManagementClientOptions } from './management-client.ts';
import { createPartnerCenterClient, type PartnerCenterClient } from './partner-center-client.ts';
import { createTokenProvider } from './token-provider.ts';

export interface MicrosoftClients {
  readonly graph: GraphClient;
  readonly management: ManagementClient;
  readonly partnerCenter: PartnerCenterClient;
}

/**
 * Every Microsoft API a collector reads, sharing one connection pool, one
 * token cache and one request budget. `publisherId`: the tenant that
 * publishes the Management Activity calls (the MSP's partner tenant);
 * undefined when none is known.
 */
export function createMicrosoftClients(
  endpoints: MicrosoftEndpoints,
  http: MicrosoftHttp,
  budget: RequestBudget,
  publisherId: string | undefined,
  options: Pick<ManagementClientOptions, 'log'> = {},
): MicrosoftClients {
  const tokens = createTokenProvider(endpoints, http);
  return {
    graph: createGraphClient(endpoints, http, tokens, budget),
    management: createManagementClient(endpoints, http, tokens, budget, { publisherId, log: options.log }),
    partnerCenter: createPartnerCenterClient(endpoints, http, tokens, budget),
  };
}
