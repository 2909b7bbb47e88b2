import { describe, expect, it } from 'vitest';
import { staticTenantDirectory, type PartnerAccount, type TenantDirectory } from '@nightjar/collector';
import { Secret } from '@nightjar/core';
import { resolvePublisherId } from './collector-role.ts';

const PARTNER_TENANT = '3b0f8a52-6c1e-4d7a-9f10-5e2b7c4d9a01';
const OTHER_PARTNER_TENANT = '9d4e1f27-0a3b-4c5d-8e6f-7a8b9c0d1e2f';

const partner = (mspId: string, tenantId: string): PartnerAccount => ({
  mspId,
  credentials: { tenantId, clientId: '11111111-2222-4333-8444-555555555555', clientSecret: new Secret('s') },
});

function recordingLog() {
  const lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  const log = {
    info: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'info', fields, message }),
    warn: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'warn', fields, message }),
  };
  return { lines, log: log as unknown as Parameters<typeof resolvePublisherId>[2] };
}

describe('the PublisherIdentifier of the Management Activity calls', () => {
  it('is the configured one when set', async () => {
    const { lines, log } = recordingLog();
    const directory = staticTenantDirectory([], [partner('msp', PARTNER_TENANT)]);
    expect(await resolvePublisherId(OTHER_PARTNER_TENANT, directory, log)).toBe(OTHER_PARTNER_TENANT);
    expect(lines).toEqual([]);
  });

  it("falls back to the MSP's partner tenant, never the all-zero GUID", async () => {
    const { lines, log } = recordingLog();
    const directory = staticTenantDirectory([], [partner('msp', PARTNER_TENANT)]);
    expect(await resolvePublisherId(undefined, directory, log)).toBe(PARTNER_TENANT);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('takes the first of several partner tenants and says which setting chooses', async () => {
    const { lines, log } = recordingLog();
    const directory = staticTenantDirectory(
      [],
      [partner('a', PARTNER_TENANT), partner('b', OTHER_PARTNER_TENANT), partner('c', PARTNER_TENANT)],
    );
    expect(await resolvePublisherId(undefined, directory, log)).toBe(PARTNER_TENANT);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
    expect(lines[0]!.message).toContain('NIGHTJAR_COLLECTOR_PUBLISHER_ID');
  });

  it('is left out with one warning naming the setting when no tenant of the MSP is known', async () => {
    const { lines, log } = recordingLog();
    expect(await resolvePublisherId(undefined, staticTenantDirectory([]), log)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('warn');
    expect(lines[0]!.message).toContain('collector.publisherId (NIGHTJAR_COLLECTOR_PUBLISHER_ID)');
  });

  it('still starts, with the warning, when the partner tenants cannot be read', async () => {
    const { lines, log } = recordingLog();
    const broken: TenantDirectory = {
      tenants: async () => [],
      partners: async () => Promise.reject(new Error('tenants.yaml: msps.0.partner.tenantId: must be a GUID')),
    };
    expect(await resolvePublisherId(undefined, broken, log)).toBeUndefined();
    expect(lines.map((line) => line.level)).toEqual(['warn', 'warn']);
    expect(lines[1]!.message).toContain('NIGHTJAR_COLLECTOR_PUBLISHER_ID');
  });
});
