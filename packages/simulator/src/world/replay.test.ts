import { peerFixturesDir } from '@nightjar/testkit';
import { describe, expect, it } from 'vitest';
import { createWorld, loadRecordsFromFiles } from './index.ts';

const PEER = peerFixturesDir() ?? '';
const GRAPH_SIGNINS = `${PEER}/ms-graph-docs/v1.0/signin-list.response1.json`;
const EXCHANGE_AUDIT = `${PEER}/otrf-security-datasets/pr64-atomic-m365/defense_evasion/set_mailboxauditbypassassociation.json`;

describe.skipIf(!PEER)('replaying records from files', () => {
  it('serves Graph sign-ins from a { value } page, shifted to end just before now', () => {
    const world = createWorld({ seed: 4, tenants: 1, days: 1 });
    const tenantId = world.tenants()[0]!.id;
    const before = world.signIns(tenantId, 'interactive').length;
    const added = loadRecordsFromFiles(world, {
      tenantId,
      feed: 'signIns',
      files: [GRAPH_SIGNINS],
      endBeforeNowMs: 60_000,
    });
    expect(added).toBeGreaterThan(0);
    const served = world.signIns(tenantId, 'interactive');
    expect(served).toHaveLength(before + added);
    expect(served[0]?.['id']).toBe('66ea54eb-6301-4ee5-be62-ff5a759b0100');
    expect(served[0]?.['createdDateTime']).toBe(new Date(world.now() - 60_000).toISOString());
  });

  it('serves Management API records from JSON Lines, once their latency has passed', () => {
    const world = createWorld({ seed: 4, tenants: 1, days: 1 });
    const tenantId = world.tenants()[0]!.id;
    const added = loadRecordsFromFiles(world, {
      tenantId,
      feed: 'Audit.Exchange',
      files: [EXCHANGE_AUDIT],
      endBeforeNowMs: 0,
    });
    const find = () =>
      world
        .auditRecords(tenantId, 'Audit.Exchange')
        .filter((r) => r.record['Operation'] === 'Set-MailboxAuditBypassAssociation');
    expect(find()).toHaveLength(0);
    world.advanceTo(world.now() + 10 * 60_000);
    expect(find()).toHaveLength(added);
    expect(find()[0]?.record['CreationTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('keeps original times when not asked to shift, so old records stay old', () => {
    const world = createWorld({ seed: 4, tenants: 1, days: 1 });
    const tenantId = world.tenants()[0]!.id;
    loadRecordsFromFiles(world, { tenantId, feed: 'signIns', files: [GRAPH_SIGNINS] });
    const last = world.signIns(tenantId, 'interactive').at(-1);
    expect(last?.['createdDateTime']).toBe('2020-03-13T19:15:41.6195833Z');
  });
});
