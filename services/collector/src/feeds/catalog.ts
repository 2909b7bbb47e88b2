import type { ContentType, GraphClient, ManagementClient, PartnerCenterClient } from '@nightjar/m365';
import { CONTENT_TYPES } from '@nightjar/m365';
import { normalizeAuditRecord, normalizeDirectoryAudit, normalizeSignIn } from '@nightjar/normalize';
import type { CollectorTenant } from '../tenants.ts';
import { devicesFeed, usersFeed } from './directory-feeds.ts';
import type { Feed } from './feed.ts';
import { managementFeed } from './management-feed.ts';
import { partnerSubscriptionsFeed } from './partner-feed.ts';
import { windowedGraphFeed } from './windowed-graph-feed.ts';

export interface FeedClients {
  readonly graph: GraphClient;
  readonly management: ManagementClient;
  readonly partnerCenter: PartnerCenterClient;
}

export interface FeedSettings {
  readonly pollIntervalMs: number;
  readonly backfillMs: number;
}

/** Every feed a customer tenant has (its licences decide which answer), and the partner feed of a partner tenant. */
export function feedCatalog(
  clients: FeedClients,
  settings: FeedSettings,
): (tenant: CollectorTenant) => readonly Feed[] {
  const context = (tenant: CollectorTenant, source: string, ingestTime: number) => ({
    mspId: tenant.mspId,
    tenantId: tenant.tenantId,
    source,
    ingestTime,
  });
  const customerFeeds: Feed[] = [
    windowedGraphFeed({
      name: 'signins',
      graph: clients.graph,
      path: 'auditLogs/signIns',
      // v1.0 leaves out sessionId and userAgent, which tie a session's refreshes to the sign-in
      // that opened it and tell scripted clients apart: beta carries them.
      version: 'beta',
      timeProperty: 'createdDateTime',
      extraFilter: "signInEventTypes/any(t: t eq 'interactiveUser')",
      source: 'graph.signIns.interactive',
      intervalMs: settings.pollIntervalMs,
      backfillMs: settings.backfillMs,
      normalize: (record, tenant, now) => ({
        kind: 'sign-in',
        event: normalizeSignIn(record, context(tenant, 'graph.signIns.interactive', now)),
      }),
    }),
    windowedGraphFeed({
      name: 'signins-noninteractive',
      graph: clients.graph,
      path: 'auditLogs/signIns',
      version: 'beta',
      timeProperty: 'createdDateTime',
      extraFilter: "signInEventTypes/any(t: t eq 'nonInteractiveUser')",
      source: 'graph.signIns.nonInteractive',
      intervalMs: settings.pollIntervalMs,
      backfillMs: settings.backfillMs,
      normalize: (record, tenant, now) => ({
        kind: 'sign-in',
        event: normalizeSignIn(record, context(tenant, 'graph.signIns.nonInteractive', now)),
      }),
    }),
    windowedGraphFeed({
      name: 'directory-audits',
      graph: clients.graph,
      path: 'auditLogs/directoryAudits',
      version: 'v1.0',
      timeProperty: 'activityDateTime',
      source: 'graph.directoryAudits',
      intervalMs: settings.pollIntervalMs,
      backfillMs: settings.backfillMs,
      normalize: (record, tenant, now) => ({
        kind: 'directory-audit',
        event: normalizeDirectoryAudit(record, context(tenant, 'graph.directoryAudits', now)),
      }),
    }),
    usersFeed(clients.graph),
    devicesFeed(clients.graph),
    ...CONTENT_TYPES.map((contentType: ContentType) =>
      managementFeed({
        management: clients.management,
        contentType,
        intervalMs: settings.pollIntervalMs,
        normalize: (record, tenant, type, now) => ({
          kind: 'audit-record',
          event: normalizeAuditRecord(record, { ...context(tenant, `management.${type}`, now), contentType: type }),
        }),
      }),
    ),
  ];
  const partnerFeeds: Feed[] = [partnerSubscriptionsFeed(clients.partnerCenter)];
  return (tenant) => (tenant.role === 'partner' ? partnerFeeds : customerFeeds);
}
