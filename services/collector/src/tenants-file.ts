import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError, Secret } from '@nightjar/core';
import type { CollectorTenant, PartnerAccount, TenantDirectory } from './tenants.ts';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const app = z.object({ tenantId: guid, clientId: guid, clientSecret: z.string().min(1) }).strict();

const fileSchema = z
  .object({
    msps: z
      .array(
        z
          .object({
            id: z.string().min(1),
            partner: app.optional(),
            tenants: z.array(app.extend({ domain: z.string().optional() }).strict()).default([]),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/**
 * The tenants file: MSPs, their customer tenants with the app registration
 * consented in each, and optionally their partner tenant for Partner Center.
 * Re-read on every call, so adding a tenant needs no restart.
 */
export function tenantsFileDirectory(path: string): TenantDirectory {
  async function load(): Promise<z.infer<typeof fileSchema>> {
    const parsed = fileSchema.safeParse(parse(await readFile(path, 'utf8')));
    if (!parsed.success) {
      throw new ConfigError(parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.')}: ${issue.message}`));
    }
    return parsed.data;
  }
  return {
    async tenants(): Promise<CollectorTenant[]> {
      return (await load()).msps.flatMap((msp) =>
        msp.tenants.map((tenant) => ({
          mspId: msp.id,
          tenantId: tenant.tenantId,
          ...(tenant.domain ? { domain: tenant.domain } : {}),
          credentials: {
            tenantId: tenant.tenantId,
            clientId: tenant.clientId,
            clientSecret: new Secret(tenant.clientSecret),
          },
        })),
      );
    },
    async partners(): Promise<PartnerAccount[]> {
      return (await load()).msps.flatMap((msp) =>
        msp.partner
          ? [{ mspId: msp.id, credentials: { ...msp.partner, clientSecret: new Secret(msp.partner.clientSecret) } }]
          : [],
      );
    },
  };
}
