import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify } from 'fastify';
import type { World } from '../world/cloud.ts';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerChannelRoutes } from './channel-routes.ts';
import { registerCorrelationHeaders } from './correlation.ts';
import { SimClock, type Captured, type PartnerAccount, type SimContext } from './context.ts';
import { FaultController } from './faults.ts';
import { registerGraphRoutes } from './graph-routes.ts';
import { registerManagementRoutes } from './management-routes.ts';
import { registerPartnerRoutes } from './partner-routes.ts';
import { Throttle } from './throttle.ts';
import { createCertificates } from './tls.ts';
import { TokenAuthority } from './tokens.ts';

export interface SimulatorOptions {
  readonly world: World;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Simulated seconds per wall-clock second once the history is served (0 freezes the clock). */
  readonly clockFactor?: number;
  /** Multiplies Microsoft's throttling budgets; 0 turns throttling off (benchmarks only). */
  readonly throttleScale?: number;
  /** Where the CA certificate is written. */
  readonly certificateDir?: string;
  readonly tokenLifetimeSeconds?: number;
  /** Content blobs per page of subscriptions/content before a NextPageUri; Microsoft does not say (100 here). */
  readonly managementPageBlobs?: number;
  /** Share (0–1) of Management Activity records served again in the next blob, as Microsoft does; 0 by default. */
  readonly managementRepeatedRecords?: number;
}

export interface SimulatorUrls {
  /** Stand for https://login.microsoftonline.com, https://graph.microsoft.com, and so on: no version path. */
  readonly authority: string;
  readonly graph: string;
  readonly management: string;
  readonly partnerCenter: string;
  readonly admin: string;
  readonly slack: string;
  readonly telegram: string;
}

export interface RunningSimulator {
  readonly urls: SimulatorUrls;
  readonly caCertPath: string;
  readonly caCertPem: string;
  readonly partner: PartnerAccount;
  readonly context: SimContext;
  close(): Promise<void>;
}

/** Serves a simulated world over HTTPS on one port, each Microsoft host under its own path. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const certificates = await createCertificates(
    options.certificateDir ?? join(tmpdir(), `nightjar-simulator-${process.pid}`),
  );
  const app = fastify({
    https: { key: certificates.key, cert: certificates.cert },
    logger: false,
    bodyLimit: 4 * 1024 * 1024,
  });
  // Microsoft accepts an empty body with a JSON content type (subscriptions/start does), so this does too.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : (JSON.parse(String(body)) as unknown));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  let base = '';
  const captured: Captured = { mail: [], slack: [], telegram: [] };
  const context: SimContext = {
    world: options.world,
    clock: new SimClock(options.world, options.clockFactor ?? 1),
    tokens: new TokenAuthority(options.tokenLifetimeSeconds),
    faults: new FaultController(),
    throttle: new Throttle(options.throttleScale ?? 1),
    captured,
    partner: partnerAccount(options.world),
    subscriptions: new Map(),
    baseUrl: () => base,
  };
  registerCorrelationHeaders(app);
  registerAuthRoutes(app, context);
  registerGraphRoutes(app, context);
  registerManagementRoutes(app, context, {
    pageBlobs: options.managementPageBlobs ?? 100,
    repeatedRecords: options.managementRepeatedRecords ?? 0,
  });
  registerPartnerRoutes(app, context);
  registerChannelRoutes(app, context);
  registerAdminRoutes(app, context);
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  base = address.replace('://127.0.0.1', '://localhost');
  return {
    urls: {
      authority: base,
      graph: `${base}/graph`,
      management: base,
      partnerCenter: base,
      admin: `${base}/admin`,
      slack: `${base}/slack`,
      telegram: `${base}/telegram`,
    },
    caCertPath: certificates.caCertPath,
    caCertPem: certificates.caCertPem,
    partner: context.partner,
    context,
    close: () => app.close(),
  };
}

/** The MSP's own partner tenant, derived from the world so a seed gives the same credentials. */
function partnerAccount(world: World): PartnerAccount {
  const digest = createHash('sha256')
    .update(
      world
        .tenants()
        .map((tenant) => tenant.id)
        .join(','),
    )
    .digest('hex');
  const guid = (offset: number): string => {
    const hex = digest.slice(offset, offset + 32).padEnd(32, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  return { tenantId: guid(0), clientId: guid(32), clientSecret: `pc~${digest.slice(0, 34)}` };
}
