import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clickhouseTime } from '@nightjar/store';
import { notFound } from '../errors.ts';
import { instant, toIso, Where } from '../filters.ts';
import type { MspQueries } from '../msp-queries.ts';
import { decodeCursor, pageOf, pageQuery } from '../pagination.ts';

const STATE = `(SELECT alert_id, argMax(action, time) AS last_action, argMax(assignee, time) AS assignee
  FROM alert_actions WHERE msp_id = {msp:String} GROUP BY alert_id)`;
const COLUMNS = `toString(a.created_time) AS time, a.alert_id AS alert_id, a.revision AS revision, a.tenant_id AS tenant_id,
  a.tenant_ids AS tenant_ids, a.rule_id AS rule_id, a.rule_name AS rule_name, a.severity AS severity,
  a.mitre_techniques AS mitre_techniques, a.entity_type AS entity_type, a.entity_id AS entity_id, a.summary AS summary,
  toString(a.first_seen) AS first_seen, toString(a.last_seen) AS last_seen, a.event_count AS event_count,
  multiIf(s.last_action = 'close', 'closed', s.last_action IN ('acknowledge', 'assign'), 'acknowledged', 'open') AS status,
  s.assignee AS assignee`;

const alertsQuery = z
  .object({
    tenant: z.string().min(1).max(100).optional(),
    rule: z
      .string()
      .regex(/^[A-Z]{2,6}-\d{3}$/, 'a rule id such as AUTH-005')
      .optional(),
    severity: z.enum(['info', 'low', 'medium', 'high', 'critical']).optional(),
    status: z.enum(['open', 'acknowledged', 'closed']).optional(),
    from: instant.optional(),
    to: instant.optional(),
    ...pageQuery,
  })
  .strict();
const alertId = z.object({ id: z.string().min(1).max(512) });
const alert = z.object({ alert_id: z.string(), severity: z.string(), status: z.string() }).loose();
const action = z
  .object({
    action: z.enum(['acknowledge', 'assign', 'close', 'reopen']),
    assignee: z.string().min(1).max(320).optional(),
    comment: z.string().max(4_000).optional(),
  })
  .strict()
  .refine((body) => body.action !== 'assign' || body.assignee !== undefined, {
    message: 'assign needs an assignee',
    path: ['assignee'],
  });

interface AlertRow {
  time: string;
  first_seen: string;
  last_seen: string;
  alert_id: string;
  severity: string;
  status: string;
  [column: string]: unknown;
}

const timesToIso = <Row extends { time: string; first_seen: string; last_seen: string }>(row: Row): Row => ({
  ...row,
  time: toIso(row.time),
  first_seen: toIso(row.first_seen),
  last_seen: toIso(row.last_seen),
});

async function alertById(msp: MspQueries, id: string) {
  const [row] = await msp.query<AlertRow>(
    `SELECT ${COLUMNS}, a.event_ids AS event_ids, a.users AS users, a.ips AS ips, a.countries AS countries,
       a.details AS details
     FROM (SELECT * FROM alerts FINAL WHERE msp_id = {msp:String} AND alert_id = {id:String}) AS a
     LEFT JOIN ${STATE} AS s ON s.alert_id = a.alert_id`,
    { id },
  );
  if (!row) throw notFound('alert');
  return timesToIso(row);
}

export const alertRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/alerts',
    {
      schema: {
        summary: 'Alerts of every tenant, newest first',
        tags: ['alerts'],
        querystring: alertsQuery,
        response: { 200: z.object({ items: z.array(alert), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const query = request.query;
      const inner = new Where()
        .when(query.tenant, 'has(tenant_ids, {tenant:String})', 'tenant')
        .when(query.rule, 'rule_id = {rule:String}', 'rule')
        .when(query.severity, 'severity = {severity:String}', 'severity')
        .when(query.from, 'created_time >= {from:DateTime64(3)}', 'from')
        .when(query.to, 'created_time < {to:DateTime64(3)}', 'to');
      const cursor = decodeCursor(query.cursor);
      if (cursor)
        inner.add(
          '(created_time < {ct:DateTime64(3)} OR (created_time = {ct:DateTime64(3)} AND alert_id < {cid:String}))',
          { ct: cursor.time, cid: cursor.id },
        );
      const rows = await request.msp().query<AlertRow>(
        `SELECT ${COLUMNS} FROM (SELECT * FROM alerts FINAL WHERE ${inner.sql()}) AS a
         LEFT JOIN ${STATE} AS s ON s.alert_id = a.alert_id
         ${query.status ? 'WHERE status = {status:String}' : ''}
         ORDER BY a.created_time DESC, a.alert_id DESC LIMIT {limit:UInt32}`,
        { ...inner.params, ...(query.status ? { status: query.status } : {}), limit: query.limit + 1 },
      );
      const { items, nextCursor } = pageOf(rows, query.limit, (row) => row.alert_id);
      return { items: items.map(timesToIso), nextCursor };
    },
  );

  app.get(
    '/v1/alerts/:id',
    {
      schema: {
        summary: 'One alert with its evidence, what analysts did with it and where it was sent',
        tags: ['alerts'],
        params: alertId,
        response: { 200: alert },
      },
    },
    async (request) => {
      const msp = request.msp();
      const found = await alertById(msp, request.params.id);
      const [actions, deliveries] = await Promise.all([
        msp.query(
          `SELECT action, assignee, comment, actor_key_id, time FROM alert_actions
           WHERE msp_id = {msp:String} AND alert_id = {id:String} ORDER BY time`,
          { id: request.params.id },
        ),
        msp.query(
          `SELECT delivery_id, attempt, channel, target, status, provider_status, error, repeated, time
           FROM notification_deliveries FINAL WHERE msp_id = {msp:String} AND has(alert_ids, {id:String})
           ORDER BY time`,
          { id: request.params.id },
        ),
      ]);
      return { ...found, actions, deliveries };
    },
  );

  app.post(
    '/v1/alerts/:id/actions',
    {
      schema: {
        summary: 'Acknowledge, assign, close or reopen an alert',
        tags: ['alerts'],
        params: alertId,
        body: action,
        response: { 200: alert },
      },
    },
    async (request) => {
      const msp = request.msp();
      await alertById(msp, request.params.id);
      const caller = request.caller();
      await msp.insert('alert_actions', [
        {
          alert_id: request.params.id,
          action: request.body.action,
          assignee: request.body.assignee ?? null,
          comment: request.body.comment ?? null,
          actor_key_id: caller.kind === 'msp' ? caller.keyId : 'platform',
          time: clickhouseTime(Date.now()),
        },
      ]);
      return alertById(msp, request.params.id);
    },
  );
};
