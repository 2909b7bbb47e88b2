import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MicrosoftRecord, SimTenant } from '../world/cloud.ts';
import { guard, type SimContext } from './context.ts';
import { graphError } from './entra-errors.ts';
import type { Endpoint } from './faults.ts';
import { FilterError, parseFilter } from './odata-filter.ts';
import { nextLink, readCursor, select } from './paging.ts';
import { mergeNewestFirst, withinTimeRange, withoutBetaFields } from './signin-views.ts';
import { graphBudgets } from './throttle.ts';
import { SIGN_IN_ACTIVITY_PAGE_CAP, selectsSignInActivity, signInActivityByUser, userView } from './user-views.ts';

type Query = Record<string, string | undefined>;

interface Collection {
  readonly endpoint: Endpoint;
  readonly timeProperty?: string;
  readonly filterable: ReadonlySet<string>;
  readonly defaultTop: number;
  readonly maxTop: number;
  /** Microsoft's answer when the tenant's licences do not cover the collection. */
  readonly refuse?: (tenant: SimTenant) => { status: number; code: string; message: string } | undefined;
}

const SIGNIN_FILTERS = new Set([
  'id',
  'createdDateTime',
  'userPrincipalName',
  'userDisplayName',
  'userId',
  'appId',
  'appDisplayName',
  'ipAddress',
  'clientAppUsed',
  'correlationId',
  'conditionalAccessStatus',
  'status/errorCode',
  'location/city',
  'location/state',
  'location/countryOrRegion',
  'deviceDetail/browser',
  'deviceDetail/operatingSystem',
  'resourceDisplayName',
  'resourceId',
  'riskDetail',
  'riskLevelAggregated',
  'riskLevelDuringSignIn',
  'riskState',
  'riskEventTypes_v2',
  'signInEventTypes',
]);
// v1.0's signIn type has no signInEventTypes: filtering on it there is Graph's 400, not an empty page.
const V1_SIGNIN_FILTERS = new Set([...SIGNIN_FILTERS].filter((path) => path !== 'signInEventTypes'));
const AUDIT_FILTERS = new Set([
  'id',
  'activityDateTime',
  'activityDisplayName',
  'category',
  'correlationId',
  'loggedByService',
  'result',
  'initiatedBy/user/id',
  'initiatedBy/user/displayName',
  'initiatedBy/user/userPrincipalName',
  'initiatedBy/app/appId',
  'initiatedBy/app/displayName',
]);
const USER_FILTERS = new Set(['id', 'userPrincipalName', 'displayName', 'accountEnabled', 'userType', 'mail']);
const DEVICE_FILTERS = new Set([
  'id',
  'operatingSystem',
  'complianceState',
  'userPrincipalName',
  'deviceName',
  'lastSyncDateTime',
]);
const NO_P1 = {
  status: 403,
  code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
  message: "Neither tenant is B2C or tenant doesn't have premium license",
};

const COLLECTIONS: Readonly<Record<string, Collection>> = {
  'auditLogs/signIns': {
    endpoint: 'signIns',
    timeProperty: 'createdDateTime',
    filterable: SIGNIN_FILTERS,
    defaultTop: 1000,
    maxTop: 1000,
    refuse: (tenant) => (tenant.features.entraP1 ? undefined : NO_P1),
  },
  'auditLogs/directoryAudits': {
    endpoint: 'directoryAudits',
    timeProperty: 'activityDateTime',
    filterable: AUDIT_FILTERS,
    defaultTop: 1000,
    maxTop: 1000,
  },
  users: { endpoint: 'users', filterable: USER_FILTERS, defaultTop: 100, maxTop: 999 },
  'deviceManagement/managedDevices': {
    endpoint: 'managedDevices',
    filterable: DEVICE_FILTERS,
    defaultTop: 1000,
    maxTop: 1000,
    refuse: (tenant) =>
      tenant.features.intune
        ? undefined
        : { status: 400, code: 'BadRequest', message: 'Request not applicable to target tenant.' },
  },
};

/** Microsoft Graph v1.0 and beta, for the collections collectors read, plus sendMail. */
export function registerGraphRoutes(app: FastifyInstance, context: SimContext): void {
  /** The lists a collection is served from, each newest first; beta's sign-ins with event types merge two. */
  const sources = (
    path: string,
    tenantId: string,
    version: string,
    query: Query,
  ): readonly (readonly MicrosoftRecord[])[] => {
    const world = context.world;
    switch (path) {
      case 'auditLogs/signIns': {
        const eventTypes = query['$filter']?.includes('signInEventTypes');
        if (version === 'beta' && eventTypes)
          return [world.signIns(tenantId, 'interactive'), world.signIns(tenantId, 'nonInteractive')];
        return [world.signIns(tenantId, 'interactive')];
      }
      case 'auditLogs/directoryAudits':
        return [world.directoryAudits(tenantId)];
      case 'users':
        return [world.users(tenantId)];
      default:
        return [world.managedDevices(tenantId)];
    }
  };

  const list = async (
    request: FastifyRequest<{ Params: { version: string; '*': string }; Querystring: Query }>,
    reply: FastifyReply,
  ) => {
    const { version } = request.params;
    const path = request.params['*'];
    const collection = COLLECTIONS[path];
    if ((version !== 'v1.0' && version !== 'beta') || !collection) {
      return reply
        .code(404)
        .send(graphError('Request_ResourceNotFound', `Resource not found for the segment '${path}'.`, 404));
    }
    const caller = await guard(
      context,
      request,
      reply,
      collection.endpoint,
      'graph',
      graphBudgets(collection.endpoint),
    );
    if (!caller) return reply;
    const tenant = context.world.tenant(caller.tenantId);
    if (!tenant)
      return reply
        .code(403)
        .send(graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', 403));
    const fields = request.query['$select']?.split(',').map((field) => field.trim());
    const withActivity = path === 'users' && selectsSignInActivity(fields);
    const refusal = collection.refuse?.(tenant) ?? (withActivity && !tenant.features.entraP1 ? NO_P1 : undefined);
    if (refusal) return reply.code(refusal.status).send(graphError(refusal.code, refusal.message, refusal.status));

    const asked = request.query['$top'] === undefined ? collection.defaultTop : Number(request.query['$top']);
    if (!Number.isInteger(asked) || asked < 1 || asked > collection.maxTop) {
      return reply
        .code(400)
        .send(
          graphError(
            'Request_BadRequest',
            `Invalid page size specified: '${request.query['$top']}'. Must be between 1 and ${collection.maxTop} inclusive.`,
            400,
          ),
        );
    }
    let cursor;
    let filter;
    try {
      cursor = readCursor(request.query['$skiptoken'], context.clock.now());
      const filterable = version === 'v1.0' && path === 'auditLogs/signIns' ? V1_SIGNIN_FILTERS : collection.filterable;
      filter = request.query['$filter'] ? parseFilter(request.query['$filter'], filterable) : undefined;
    } catch (error) {
      const message = error instanceof FilterError ? error.message : 'Invalid $skiptoken.';
      return reply.code(400).send(graphError('Request_UnsupportedQuery', message, 400));
    }
    const top = withActivity ? Math.min(asked, SIGN_IN_ACTIVITY_PAGE_CAP) : asked;
    // A record published late is invisible until its arrival, though its own time is earlier.
    const arrivalDelayMs = context.faults.arrivalDelayMs(collection.endpoint, caller.tenantId);
    const asOf = new Date(cursor.asOf - arrivalDelayMs).toISOString();
    const timeProperty = collection.timeProperty;
    const predicate = filter?.predicate;
    // Records are kept in time order: a time filter (every collector's) only looks at its stretch.
    const range = timeProperty && filter ? filter.timeRange(timeProperty) : undefined;
    const lists = sources(path, caller.tenantId, version, request.query).map((records) =>
      timeProperty && range ? withinTimeRange(records, timeProperty, range) : records,
    );
    const candidates = lists.length === 2 ? mergeNewestFirst(lists[0]!, lists[1]!) : lists[0]!;
    const visible = candidates.filter(
      (record) => (!timeProperty || (record[timeProperty] as string) <= asOf) && (!predicate || predicate(record)),
    );
    const activity = withActivity
      ? signInActivityByUser(
          context.world.signIns(caller.tenantId, 'interactive'),
          context.world.signIns(caller.tenantId, 'nonInteractive'),
        )
      : undefined;
    const stripBeta = version === 'v1.0' && path === 'auditLogs/signIns';
    const view = (record: MicrosoftRecord): MicrosoftRecord =>
      path === 'users'
        ? userView(record, fields, activity)
        : select(stripBeta ? withoutBetaFields(record) : record, fields);
    const items = visible.slice(cursor.offset, cursor.offset + top).map(view);
    const body: Record<string, unknown> = {
      '@odata.context': `${context.baseUrl()}/graph/${version}/$metadata#${path}`,
      value: items,
    };
    if (cursor.offset + top < visible.length) {
      body['@odata.nextLink'] = nextLink(request, context.baseUrl(), {
        offset: cursor.offset + top,
        asOf: cursor.asOf,
      });
    }
    return reply.header('content-type', 'application/json; odata.metadata=minimal').send(JSON.stringify(body));
  };

  app.get('/graph/:version/*', list);

  app.get<{ Params: { version: string } }>('/graph/:version/subscribedSkus', async (request, reply) => {
    const caller = await guard(context, request, reply, 'subscribedSkus', 'graph', graphBudgets('subscribedSkus'));
    if (!caller) return reply;
    return {
      '@odata.context': `${context.baseUrl()}/graph/v1.0/$metadata#subscribedSkus`,
      value: context.world.subscribedSkus(caller.tenantId),
    };
  });

  app.post<{ Params: { user: string }; Body: { message?: unknown } }>(
    '/graph/v1.0/users/:user/sendMail',
    async (request, reply) => {
      const caller = await guard(context, request, reply, 'sendMail', 'graph', graphBudgets('sendMail'));
      if (!caller) return reply;
      if (!request.body || typeof request.body !== 'object' || !('message' in request.body)) {
        return reply.code(400).send(graphError('ErrorInvalidRequest', 'Empty Payload. JSON content expected.', 400));
      }
      context.captured.mail.push({
        tenantId: caller.tenantId,
        from: request.params.user,
        message: request.body.message,
        at: Date.now(),
      });
      return reply.code(202).send();
    },
  );
}
