import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '@nightjar/core';
import { parseClock, type MspRouting } from './routing.ts';

const severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
const clock = z.string().refine((text) => {
  try {
    parseClock(text);
    return true;
  } catch {
    return false;
  }
}, 'must be HH:MM');
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');
const emails = z.array(z.email()).min(1);

/** Messages per minute a target may receive; what exceeds it waits and is grouped into the next message. */
const limits = { messagesPerMinute: z.number().int().min(1).max(600).default(6) };

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slack'), webhookUrl: z.url(), ...limits }).strict(),
  z
    .object({
      kind: z.literal('telegram'),
      botToken: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-token'),
      chatId: z.union([z.string().min(1), z.number().int()]).transform(String),
      apiUrl: z.url().default('https://api.telegram.org'),
      ...limits,
    })
    .strict(),
  z.object({ kind: z.literal('webhook'), url: z.url(), signingSecret: z.string().min(16), ...limits }).strict(),
  z
    .object({
      kind: z.literal('graph-mail'),
      tenantId: z.string().min(1),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      from: z.email(),
      to: emails,
      ...limits,
    })
    .strict(),
  z
    .object({
      kind: z.literal('smtp'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535),
      security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
      username: z.string().optional(),
      password: z.string().optional(),
      from: z.email(),
      to: emails,
      ...limits,
    })
    .strict(),
]);
export type TargetConfig = z.infer<typeof targetSchema>;

const routeSchema = z
  .object({
    name: z.string().min(1),
    match: z
      .object({
        tenants: z.array(z.string().min(1)).optional(),
        rules: z.array(z.string().min(1)).optional(),
        minSeverity: severity.optional(),
        entityTypes: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .default({}),
    targets: z.array(z.string().min(1)).min(1),
    quietHours: z
      .object({ from: clock, to: clock, timeZone: timeZone.default('UTC'), except: severity.default('high') })
      .strict()
      .optional(),
  })
  .strict();

const digestSchema = z
  .object({
    /** Local time the digest of the day before goes out. */
    at: clock.default('07:00'),
    timeZone: timeZone.default('UTC'),
    /** Mail targets of the MSP-wide digest. */
    targets: z.array(z.string().min(1)).default([]),
    /** Mail targets of each customer's own digest, by tenant id. */
    customers: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
  })
  .strict();

const mspSchema = z
  .object({
    id: z.string().min(1),
    targets: z.record(z.string().regex(/^[\w.-]+$/, 'target names are letters, digits, - _ .'), targetSchema),
    routes: z.array(routeSchema).default([]),
    defaultTargets: z.array(z.string().min(1)).default([]),
    /** An alert already told is told again when it grows only after this long (a severity rise goes at once). */
    updateCadenceMinutes: z.number().int().min(1).default(60),
    digest: digestSchema.optional(),
  })
  .strict()
  .superRefine((msp, context) => {
    const known = new Set(Object.keys(msp.targets));
    const mailTarget = (name: string, path: (string | number)[]): void => {
      const target = msp.targets[name];
      if (!target) context.addIssue({ code: 'custom', path, message: `no target "${name}"` });
      else if (target.kind !== 'graph-mail' && target.kind !== 'smtp')
        context.addIssue({ code: 'custom', path, message: `"${name}" is ${target.kind}; digests go by mail` });
    };
    for (const [name, target] of Object.entries(msp.targets)) {
      if (target.kind === 'smtp' && target.security === 'none' && (target.username || target.password))
        context.addIssue({
          code: 'custom',
          path: ['targets', name, 'security'],
          message: `target "${name}" would send its SMTP username and password unencrypted; use starttls or tls`,
        });
    }
    msp.digest?.targets.forEach((name, at) => mailTarget(name, ['digest', 'targets', at]));
    for (const [tenant, names] of Object.entries(msp.digest?.customers ?? {}))
      names.forEach((name, at) => mailTarget(name, ['digest', 'customers', tenant, at]));
    msp.routes.forEach((route, index) =>
      route.targets.forEach((target, at) => {
        if (!known.has(target))
          context.addIssue({
            code: 'custom',
            path: ['routes', index, 'targets', at],
            message: `no target "${target}"`,
          });
      }),
    );
    msp.defaultTargets.forEach((target, at) => {
      if (!known.has(target))
        context.addIssue({ code: 'custom', path: ['defaultTargets', at], message: `no target "${target}"` });
    });
  });

const fileSchema = z.object({ msps: z.array(mspSchema).min(1) }).strict();

export interface DigestSchedule {
  readonly at: string;
  readonly timeZone: string;
  readonly targets: readonly string[];
  readonly customers: Readonly<Record<string, readonly string[]>>;
}

export interface MspNotifications {
  readonly routing: MspRouting;
  readonly targets: ReadonlyMap<string, TargetConfig>;
  readonly updateCadenceMs: number;
  readonly digest?: DigestSchedule;
}

export type NotificationSettings = ReadonlyMap<string, MspNotifications>;

/** Parses the notifications file (targets, routes, defaults per MSP); errors name the file and the field. */
export function parseNotifications(text: string, source: string): NotificationSettings {
  const parsed = fileSchema.safeParse(parse(text));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${source}: ${issue.path.join('.')}: ${issue.message}`));
  }
  return new Map(
    parsed.data.msps.map((msp) => [
      msp.id,
      {
        routing: {
          mspId: msp.id,
          defaultTargets: msp.defaultTargets,
          routes: msp.routes.map((route) => ({
            name: route.name,
            targets: route.targets,
            match: {
              ...(route.match.tenants ? { tenants: route.match.tenants } : {}),
              ...(route.match.rules ? { rules: route.match.rules } : {}),
              ...(route.match.minSeverity ? { minSeverity: route.match.minSeverity } : {}),
              ...(route.match.entityTypes ? { entityTypes: route.match.entityTypes } : {}),
            },
            ...(route.quietHours ? { quietHours: route.quietHours } : {}),
          })),
        },
        targets: new Map(Object.entries(msp.targets)),
        updateCadenceMs: msp.updateCadenceMinutes * 60_000,
        ...(msp.digest ? { digest: msp.digest } : {}),
      },
    ]),
  );
}

export function readNotificationsFile(path: string): NotificationSettings {
  return parseNotifications(readFileSync(path, 'utf8'), path);
}
