import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';
import { notFound } from '../errors.ts';
import { instant, toIso, Where } from '../filters.ts';
import type { MspQueries } from '../msp-queries.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';

/**
 * The list columns: all held by the signins_by_ip projection (migration 003), so an IP pivot reads
 * the projection's order instead of scanning the MSP, and by the signins_by_user table (migration 007)
 * that serves a user's history. The full record is at /v1/signins/{id}.
 */
const COLUMNS = `time, event_id, tenant_id, user_name, status, status_code, app_name, src_ip, src_country, src_city,
  client_app, device_os, risk_level_during, conditional_access_status`;

const filters = {
  tenant: z.string().min(1).max(100).optional().describe('Tenant id'),
  user: z.string().min(1).max(320).optional().describe('User principal name, exact'),
  status: z.enum(['success', 'failure', 'interrupted']).optional(),
  errorCode: z.coerce.number().int().min(0).max(4_294_967_295).optional().describe('Entra error code, e.g. 50126'),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'two-letter country code')
    .optional(),
  city: z.string().min(1).max(100).optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  app: z.string().min(1).max(200).optional().describe('Application display name, exact'),
  risk: z.enum(['none', 'low', 'medium', 'high']).optional().describe('Risk level during the sign-in'),
  from: instant.optional().describe('ISO 8601; default 30 days ago'),
  to: instant.optional().describe('ISO 8601; default now'),
};
const signInsQuery = z.object({ ...filters, ...pageQuery }).strict();
const exportQuery = z
  .object({
    ...filters,
    format: z.enum(['csv', 'ndjson']).default('ndjson'),
    max: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  })
  .strict();

const signIn = z
  .object({
    time: z.string(),
    event_id: z.string(),
    tenant_id: z.string(),
    user_name: z.string(),
    status: z.string(),
    status_code: z.number(),
  })
  .loose();
const page = z.object({ items: z.array(signIn), nextCursor: z.string().nullable() });

type Filters = z.infer<typeof signInsQuery>;
type Page = Awaited<ReturnType<typeof searchPage>>;

/** Rows an export reads from the store at a time. */
const EXPORT_PAGE = 10_000;

interface SignInRow {
  time: string;
  event_id: string;
  tenant_id: string;
  user_name: string;
  status: string;
  status_code: number;
  [column: string]: unknown;
}

function whereOf(query: Omit<Filters, 'limit' | 'cursor'>): Where {
  const where = new Where()
    .when(query.tenant, 'tenant_id = {tenant:String}', 'tenant')
    .when(query.user?.toLowerCase(), 'user_name = {user:String}', 'user')
    .when(query.status, 'status = {status:String}', 'status')
    .when(query.errorCode, 'status_code = {code:UInt32}', 'code')
    .when(query.country?.toUpperCase(), 'src_country = {country:String}', 'country')
    .when(query.city, 'src_city = {city:String}', 'city')
    .when(query.ip, 'src_ip_address = toIPv6({ip:String})', 'ip')
    .when(query.app, 'app_name = {app:String}', 'app')
    .add('time >= {from:DateTime64(3)}', { from: query.from ?? daysAgo(30) })
    .when(query.to, 'time < {to:DateTime64(3)}', 'to');
  if (query.risk) {
    if (query.risk === 'none') where.add("(risk_level_during IS NULL OR risk_level_during IN ('none', 'hidden'))");
    else where.add('risk_level_during = {risk:String}', { risk: query.risk });
  }
  return where;
}

function daysAgo(days: number): string {
  return clickhouseTime(Date.now() - days * 86_400_000);
}

/**
 * Where a search reads. All three fold a replayed message not merged away yet: FINAL is the cheaper on a
 * table's own order, LIMIT 1 BY the one that leaves an IP pivot free to read the signins_by_ip projection.
 * A search for one user reads signins_by_user (migration 007), which holds every column listed or filtered
 * on here and is sorted by (msp_id, user_name), so a history is one short range with or without its tenant.
 */
function readPath(query: Pick<Filters, 'ip' | 'user'>): { from: string; dedup: string } {
  if (query.ip) return { from: 'signins', dedup: 'LIMIT 1 BY event_id' };
  if (query.user) return { from: 'signins_by_user FINAL', dedup: '' };
  return { from: 'signins FINAL', dedup: '' };
}

async function searchPage(msp: MspQueries, query: Filters) {
  const where = whereOf(query);
  const cursor = decodeCursor(query.cursor);
  if (cursor)
    where.add('(time < {ct:DateTime64(3)} OR (time = {ct:DateTime64(3)} AND event_id < {cid:String}))', {
      ct: cursor.time,
      cid: cursor.id,
    });
  const path = readPath(query);
  const rows = await msp.query<SignInRow>(
    `SELECT ${COLUMNS} FROM ${path.from} WHERE ${where.sql()}
     ORDER BY time DESC, event_id DESC ${path.dedup} LIMIT {limit:UInt32}`,
    { ...where.params, limit: query.limit + 1 },
  );
  const { items, nextCursor } = pageOf(rows, query.limit, (row) => row.event_id);
  return { items: items.map((row) => ({ ...row, time: toIso(row.time) })), nextCursor };
}

export const signInRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/signins',
    {
      schema: {
        summary: 'Sign-ins across every tenant of the MSP, newest first',
        tags: ['sign-ins'],
        querystring: signInsQuery,
        response: { 200: page },
      },
    },
    async (request) => searchPage(request.msp(), request.query),
  );

  app.get(
    '/v1/users/:user/signins',
    {
      schema: {
        summary: "A user's sign-in history (30 days unless `from` says otherwise), newest first",
        tags: ['sign-ins'],
        params: z.object({ user: z.string().min(1).max(320) }),
        querystring: signInsQuery.omit({ user: true }),
        response: { 200: page },
      },
    },
    async (request) => searchPage(request.msp(), { ...request.query, user: request.params.user }),
  );

  app.get(
    '/v1/signins/:id',
    {
      schema: {
        summary: 'One sign-in, every field, with the record Microsoft sent',
        tags: ['sign-ins'],
        params: z.object({ id: z.string().min(1).max(200) }),
      },
    },
    async (request) => {
      const [row] = await request
        .msp()
        .query<SignInRow>(
          'SELECT * FROM signins FINAL WHERE msp_id = {msp:String} AND event_id = {id:String} LIMIT 1',
          { id: request.params.id },
        );
      if (!row) throw notFound('sign-in');
      return { ...row, time: toIso(row.time), raw: safeJson(String(row['raw'])) };
    },
  );

  app.get(
    '/v1/signins/export',
    {
      schema: {
        summary: 'The matching sign-ins as a CSV or NDJSON download, streamed',
        tags: ['sign-ins'],
        querystring: exportQuery,
      },
    },
    async (request, reply) => {
      const { format, max, ...query } = request.query;
      const msp = request.msp();
      const pageAfter = (sent: number, cursor: string | undefined) =>
        searchPage(msp, { ...query, limit: Math.min(EXPORT_PAGE, max - sent), ...(cursor ? { cursor } : {}) });
      // The first page is read before the status line, so a store that does not answer gets an error in the usual shape.
      const first = await pageAfter(0, undefined);
      reply.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
      reply.header('content-disposition', `attachment; filename="signins.${format === 'csv' ? 'csv' : 'ndjson'}"`);
      const response = reply.raw;
      reply.hijack();
      response.writeHead(200, reply.getHeaders() as Record<string, string>);
      const rows = Readable.from(exportedRows(first, max, pageAfter));
      try {
        // pipeline reads the next page only when the client has taken the last one.
        const formatted = format === 'csv' ? stringify({ header: true }) : ndjson();
        await pipeline(rows, formatted, response);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') {
          request.log.info('the client left before the export was complete');
          return;
        }
        // A 200 is already on the wire: only a transfer that never completes tells the client the file is short.
        request.log.error({ err: error }, 'export failed midway; the transfer is aborted');
        response.destroy();
      }
    },
  );
};

async function* exportedRows(
  first: Page,
  max: number,
  pageAfter: (sent: number, cursor: string | undefined) => Promise<Page>,
): AsyncGenerator<SignInRow> {
  let page = first;
  let sent = 0;
  for (;;) {
    yield* page.items;
    sent += page.items.length;
    if (!page.nextCursor || sent >= max) return;
    page = await pageAfter(sent, page.nextCursor);
  }
}

function ndjson(): Transform {
  return new Transform({
    writableObjectMode: true,
    transform(row: unknown, _encoding, done) {
      done(null, `${JSON.stringify(row)}\n`);
    },
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
