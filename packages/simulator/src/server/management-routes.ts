import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ManagementContentType, MicrosoftRecord } from '../world/cloud.ts';
import { guard, type SimContext } from './context.ts';
import { MANAGEMENT_PER_TENANT } from './throttle.ts';

const CONTENT_TYPES = new Set<string>([
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
]);
const BLOB_MS = 5 * 60_000;
const DAY_MS = 24 * 3_600_000;

type Query = Record<string, string | undefined>;

export interface ManagementRouteOptions {
  /** Content blobs per page of subscriptions/content before a NextPageUri. */
  readonly pageBlobs: number;
  /**
   * Share (0–1) of the records a blob serves again in the next blob, as the
   * real feed repeats records across blobs (m365 contract §8.4, §12). Chosen by
   * a hash of the record's Id, so a seed gives the same repeats; a blob says
   * how many it repeats in its `x-simulator-repeated-records` header.
   */
  readonly repeatedRecords: number;
}

function afError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/**
 * The Office 365 Management Activity API: subscriptions per content type,
 * content listed by availability in half-open windows (≤ 24 h, ≤ 7 days back)
 * with NextPageUri paging, and blobs of 5 minutes of records each.
 */
export function registerManagementRoutes(
  app: FastifyInstance,
  context: SimContext,
  { pageBlobs, repeatedRecords }: ManagementRouteOptions,
): void {
  const repeatsInNextBlob = repeatSelector(repeatedRecords);
  const root = '/api/v1.0/:tenant/activity/feed';
  const subscriptionsOf = (tenantId: string) => {
    let map = context.subscriptions.get(tenantId);
    if (!map) context.subscriptions.set(tenantId, (map = new Map<string, { enabled: boolean; startedAt: number }>()));
    return map;
  };
  const authorize = async (
    request: Parameters<typeof guard>[1] & { params: { tenant: string } },
    reply: FastifyReply,
  ) => {
    const caller = await guard(context, request, reply, 'management', 'management', (tenant, app) => [
      { key: `management/${app}/${tenant}`, budget: MANAGEMENT_PER_TENANT },
    ]);
    if (!caller) return undefined;
    if (caller.tenantId !== request.params.tenant) {
      void afError(
        reply,
        401,
        'AF20010',
        'The tenant ID passed in the URL does not match the tenant ID passed in the access token.',
      );
      return undefined;
    }
    return caller;
  };

  app.post<{ Params: { tenant: string }; Querystring: Query }>(
    `${root}/subscriptions/start`,
    async (request, reply) => {
      if (!(await authorize(request, reply))) return reply;
      const contentType = request.query['contentType'] ?? '';
      if (!CONTENT_TYPES.has(contentType))
        return afError(reply, 400, 'AF20020', `Invalid content type: ${contentType}.`);
      const tenant = context.world.tenant(request.params.tenant)!;
      if (!tenant.features.auditEnabled) {
        return afError(
          reply,
          400,
          `StartSubscription [CorrId=${crypto.randomUUID()}][TenantId=${tenant.id},ContentType=${contentType},ApplicationId=${tenant.credentials.clientId},PublisherId=${request.query['PublisherIdentifier'] ?? tenant.id}][AppId`,
          `] failed. Exception: Microsoft.Office.Compliance.Audit.DataServiceException: Tenant ${tenant.id} does not exist.\r\n   at Microsoft.Office.Compliance.Audit.API.AuditApiAdapter.StartSubscription()`,
        );
      }
      const subscriptions = subscriptionsOf(tenant.id);
      if (subscriptions.get(contentType)?.enabled)
        return afError(reply, 400, 'AF20024', 'The subscription is already enabled. No property change.');
      subscriptions.set(contentType, { enabled: true, startedAt: context.clock.now() });
      return { contentType, status: 'enabled', webhook: null };
    },
  );

  app.post<{ Params: { tenant: string }; Querystring: Query }>(`${root}/subscriptions/stop`, async (request, reply) => {
    if (!(await authorize(request, reply))) return reply;
    subscriptionsOf(request.params.tenant).set(request.query['contentType'] ?? '', { enabled: false, startedAt: 0 });
    return reply.code(200).send();
  });

  app.get<{ Params: { tenant: string } }>(`${root}/subscriptions/list`, async (request, reply) => {
    if (!(await authorize(request, reply))) return reply;
    return [...subscriptionsOf(request.params.tenant)].map(([contentType, state]) => ({
      contentType,
      status: state.enabled ? 'enabled' : 'disabled',
      webhook: null,
    }));
  });

  const listContent = async (
    request: FastifyRequest<{ Params: { tenant: string }; Querystring: Query }>,
    reply: FastifyReply,
  ) => {
    if (!(await authorize(request, reply))) return reply;
    const tenantId = request.params.tenant;
    const contentType = request.query['contentType'] ?? '';
    if (!CONTENT_TYPES.has(contentType)) return afError(reply, 400, 'AF20020', `Invalid content type: ${contentType}.`);
    if (!subscriptionsOf(tenantId).get(contentType)?.enabled) {
      return afError(reply, 400, 'AF20022', 'No subscription found for the specified content type');
    }
    const now = context.clock.now();
    const { startTime, endTime } = request.query;
    if ((startTime === undefined) !== (endTime === undefined)) {
      return afError(reply, 400, 'AF20030', 'Start time and end time must both be specified (or both omitted).');
    }
    const start = startTime ? parseTime(startTime) : now - DAY_MS;
    const end = endTime ? parseTime(endTime) : now;
    if (
      Number.isNaN(start) ||
      Number.isNaN(end) ||
      end <= start ||
      end - start > DAY_MS ||
      start < now - 7 * DAY_MS - 3_600_000
    ) {
      return afError(
        reply,
        400,
        'AF20055',
        'Start time and end time must both be valid, within 24 hours of each other and no more than 7 days in the past.',
      );
    }
    const blobs = blobsIn(context, tenantId, contentType as ManagementContentType, start, end, now, repeatsInNextBlob);
    const offset = Number(request.query['nextPage'] ?? 0);
    if (!Number.isInteger(offset) || offset < 0 || (offset > 0 && offset >= blobs.length))
      return afError(reply, 400, 'AF20031', 'Invalid nextPage Input: ' + String(request.query['nextPage']) + '.');
    const page = blobs.slice(offset, offset + pageBlobs);
    if (offset + pageBlobs < blobs.length) {
      const next = new URL(`${context.baseUrl()}/api/v1/${tenantId}/activity/feed/subscriptions/content`);
      for (const [name, value] of Object.entries(request.query))
        if (value !== undefined && name !== 'nextPage') next.searchParams.set(name, value);
      next.searchParams.set('nextPage', String(offset + pageBlobs));
      void reply.header('NextPageUri', next.toString());
    }
    return page;
  };
  app.get(`${root}/subscriptions/content`, listContent);
  // The NextPageUri Microsoft hands out says v1, not v1.0, and is served as it is.
  app.get('/api/v1/:tenant/activity/feed/subscriptions/content', listContent);

  app.get<{ Params: { tenant: string; contentId: string }; Querystring: Query }>(
    `${root}/audit/:contentId`,
    async (request, reply) => {
      if (!(await authorize(request, reply))) return reply;
      const [tenantId, contentType, bucket] = request.params.contentId.split('$');
      const now = context.clock.now();
      if (tenantId !== request.params.tenant || !contentType || !CONTENT_TYPES.has(contentType) || !bucket) {
        return afError(reply, 400, 'AF20052', 'Content ID in the URL is invalid.');
      }
      const from = Number(bucket);
      if (from + BLOB_MS > now) return afError(reply, 404, 'AF20050', 'The specified content does not exist.');
      if (from + BLOB_MS + 7 * DAY_MS < now)
        return afError(reply, 400, 'AF20051', 'Content requested with the key has already expired.');
      const entries = context.world.auditRecords(tenantId, contentType as ManagementContentType);
      const own = entries.filter((entry) => entry.availableAt >= from && entry.availableAt < from + BLOB_MS);
      const repeated = entries.filter(
        (entry) => entry.availableAt >= from - BLOB_MS && entry.availableAt < from && repeatsInNextBlob(entry.record),
      );
      const records = [...own, ...repeated].map((entry) => entry.record);
      return reply
        .header('content-type', 'application/json')
        .header('x-simulator-repeated-records', String(repeated.length))
        .send(JSON.stringify(records));
    },
  );
}

function blobsIn(
  context: SimContext,
  tenantId: string,
  contentType: ManagementContentType,
  start: number,
  end: number,
  now: number,
  repeatsInNextBlob: (record: MicrosoftRecord) => boolean,
) {
  const buckets = new Set<number>();
  const add = (bucket: number): void => {
    const created = bucket + BLOB_MS;
    if (created >= start && created < end && created <= now) buckets.add(bucket);
  };
  for (const entry of context.world.auditRecords(tenantId, contentType)) {
    const bucket = Math.floor(entry.availableAt / BLOB_MS) * BLOB_MS;
    add(bucket);
    // A repeat can make a blob of its own out of a quiet five minutes.
    if (repeatsInNextBlob(entry.record)) add(bucket + BLOB_MS);
  }
  return [...buckets]
    .sort((a, b) => a - b)
    .map((bucket) => {
      const contentId = `${tenantId}$${contentType}$${bucket}`;
      return {
        contentType,
        contentId,
        contentUri: `${context.baseUrl()}/api/v1.0/${tenantId}/activity/feed/audit/${contentId}`,
        contentCreated: new Date(bucket + BLOB_MS).toISOString(),
        contentExpiration: new Date(bucket + BLOB_MS + 7 * DAY_MS).toISOString(),
      };
    });
}

function repeatSelector(share: number): (record: MicrosoftRecord) => boolean {
  if (share <= 0) return () => false;
  const threshold = Math.min(1, share) * 0x1_0000_0000;
  return (record) => createHash('sha256').update(String(record['Id'])).digest().readUInt32BE(0) < threshold;
}

function parseTime(value: string): number {
  return Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? value : `${value}Z`);
}
