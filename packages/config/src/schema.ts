import { z } from 'zod';
import { Secret } from '@nightjar/core';

/**
 * The one configuration schema. Every setting has a dotted path (`kafka.brokers`)
 * and an environment variable derived from it (`NIGHTJAR_KAFKA_BROKERS`, see env.ts);
 * the YAML file, docker-compose, the Kubernetes manifests and the README's table
 * are all checked against it.
 */
export const ROLE_NAMES = ['collector', 'detector', 'sink', 'api', 'notifier'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

const secret = z
  .string()
  .min(1)
  .transform((value) => new Secret(value))
  .meta({ secret: true });

const port = z.coerce.number().int().min(0).max(65_535);

/** Days one kind of history is kept; unset keeps the TTL its migration set. */
function retentionDays(what: string) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`Days of ${what} kept; unset keeps the migration's TTL (400 days; 90 for dead letters)`);
}

export const configSchema = z
  .object({
    mode: z
      .enum(['embedded', 'distributed'])
      .default('embedded')
      .describe(
        'embedded: one process, no servers (in-process bus, in-memory state, chDB); distributed: Kafka, Redis, ClickHouse',
      ),
    roles: z
      .array(z.enum([...ROLE_NAMES, 'all']))
      .min(1)
      .default(['all'])
      .describe('Roles this process runs; `all` runs every role'),
    bus: z
      .enum(['memory', 'kafka'])
      .optional()
      .describe('Event bus adapter; defaults to memory in embedded mode, kafka in distributed mode'),
    state: z.enum(['memory', 'redis']).optional().describe('Detection-state adapter; defaults by mode'),
    store: z.enum(['chdb', 'clickhouse']).optional().describe('History-store adapter; defaults by mode'),
    dataDir: z.string().min(1).default('.data/nightjar').describe('Folder for the embedded store and local state'),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Log level'),
        format: z
          .enum(['json', 'pretty'])
          .default('json')
          .describe('json for collectors of logs, pretty for a terminal'),
      })
      .prefault({}),
    admin: z
      .object({
        host: z.string().default('0.0.0.0').describe('Address of the health and metrics server'),
        port: port.default(9464).describe('Port of /healthz, /readyz and /metrics (0 picks a free port)'),
      })
      .prefault({}),
    kafka: z
      .object({
        brokers: z.array(z.string().min(1)).default([]).describe('Bootstrap brokers, host:port'),
        clientId: z.string().default('nightjar').describe('Kafka client id'),
        topicPrefix: z.string().default('nightjar.').describe('Prefix of every topic name'),
        partitions: z.coerce.number().int().min(1).default(12).describe('Partitions of topics Nightjar creates'),
        transactionalId: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Stable identity of this process for Kafka transactions (the pod name); a restart under it fences ' +
              'the dead predecessor at once. Unset: random per process. Never share one between live processes',
          ),
        sessionTimeoutMs: z.coerce
          .number()
          .int()
          .min(6_000)
          .max(300_000)
          .default(30_000)
          .describe(
            "How soon a killed consumer's partitions move to a live one; shorter fails over faster, longer " +
              "rides out pauses (within the brokers' group.min/max.session.timeout.ms)",
          ),
        ssl: z.coerce.boolean().default(false).describe('Use TLS to the brokers'),
        saslMechanism: z
          .enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512'])
          .default('none')
          .describe('SASL mechanism'),
        saslUsername: z.string().optional().describe('SASL user name'),
        saslPassword: secret.optional().describe('SASL password'),
      })
      .prefault({}),
    redis: z
      .object({
        url: secret
          .optional()
          .describe('redis://[user:password@]host:port[/db]; may hold a password, so treated as a secret'),
        keyPrefix: z.string().default('nj:').describe('Prefix of every key'),
      })
      .prefault({}),
    clickhouse: z
      .object({
        url: z.url().optional().describe('ClickHouse HTTP(S) endpoint, for the clickhouse store'),
        username: z.string().default('default').describe('ClickHouse user'),
        password: secret.optional().describe('ClickHouse password'),
        database: z.string().default('nightjar').describe('Database of Nightjar tables'),
        retentionDays: z
          .object({
            signins: retentionDays('sign-ins (and their per-user and hourly copies)'),
            directoryAudits: retentionDays('directory audits'),
            auditRecords: retentionDays('unified audit records'),
            deviceChanges: retentionDays('device change history'),
            subscriptionChanges: retentionDays('subscription change history'),
            alerts: retentionDays('alerts, counted from their last update'),
            deliveries: retentionDays('notification delivery records'),
            deadLetters: retentionDays('dead letters'),
          })
          .prefault({}),
      })
      .prefault({}),
    microsoft: z
      .object({
        authorityUrl: z.url().default('https://login.microsoftonline.com').describe('Entra ID base URL'),
        graphUrl: z.url().default('https://graph.microsoft.com').describe('Microsoft Graph base URL, without version'),
        managementUrl: z
          .url()
          .default('https://manage.office.com')
          .describe('Office 365 Management Activity API base URL'),
        partnerCenterUrl: z
          .url()
          .default('https://api.partnercenter.microsoft.com')
          .describe('Partner Center base URL'),
        caCertFile: z.string().optional().describe("PEM of an extra CA to trust for these URLs (the simulator's)"),
      })
      .prefault({}),
    collector: z
      .object({
        tenantsFile: z
          .string()
          .optional()
          .describe(
            'YAML file listing MSPs, their tenants and app registrations; without it, embedded mode serves simulated tenants',
          ),
        publisherId: z
          .string()
          .optional()
          .describe('The MSP tenant GUID sent as PublisherIdentifier to the Management Activity API'),
        concurrency: z.coerce.number().int().min(1).max(256).default(16).describe('Feed steps in flight at once'),
        pollIntervalMs: z.coerce
          .number()
          .int()
          .min(10_000)
          .default(300_000)
          .describe('Pause between polls of a caught-up feed'),
        backfillDays: z.coerce.number().int().min(0).max(30).default(30).describe('How far back a new tenant is read'),
        leaseMs: z.coerce
          .number()
          .int()
          .min(2_000)
          .default(30_000)
          .describe("How long a collector holds a tenant without renewing; a dead collector's tenants move after this"),
      })
      .prefault({}),
    detection: z
      .object({
        file: z
          .string()
          .optional()
          .describe(
            'YAML file of detection settings per MSP (`msps: {<id>: …}` in the format of PUT /v1/settings/detection: ' +
              'presence countries, trusted and anonymiser ranges, rule parameters, suppressions); settings kept through the API are laid over it',
          ),
      })
      .prefault({}),
    notifier: z
      .object({
        file: z
          .string()
          .optional()
          .describe(
            'YAML file of notification targets (Slack, Telegram, webhook, Graph mail, SMTP) and routes per MSP; ' +
              "holds secrets, so mount it from a secret. Without it, embedded mode routes to the simulator's Slack",
          ),
        linkBaseUrl: z.url().optional().describe('Base URL of the API, for the link to each alert in messages'),
        caCertFile: z
          .string()
          .optional()
          .describe('PEM of an extra CA to trust for webhook, Slack and Telegram URLs (the simulator’s)'),
      })
      .prefault({}),
    simulator: z
      .object({
        tenants: z.coerce
          .number()
          .int()
          .min(1)
          .max(500)
          .default(5)
          .describe('Simulated tenants when none are configured'),
        seed: z.coerce.number().int().default(7).describe('Seed of the simulated world (same seed, same data)'),
        days: z.coerce.number().int().min(1).max(30).default(7).describe('Days of simulated history'),
      })
      .prefault({}),
    api: z
      .object({
        host: z.string().default('0.0.0.0').describe('Address of the query API'),
        port: port.default(8080).describe('Port of the query API (0 picks a free port)'),
        platformKey: secret
          .optional()
          .describe('Key of the platform administrator, who manages MSPs and issues their API keys'),
        rateLimitPerMinute: z.coerce.number().int().min(1).default(600).describe('Requests per minute per API key'),
        failedAuthenticationsPerMinute: z.coerce
          .number()
          .int()
          .min(1)
          .default(20)
          .describe('Failed authentications per minute per client address before it is answered 429'),
      })
      .prefault({}),
    security: z
      .object({
        encryptionKey: secret
          .optional()
          .describe(
            'Base64 of 32 bytes; encrypts tenant credentials at rest (AES-256-GCM). Unset in embedded mode: ' +
              'generated once into <dataDir>/encryption-key',
          ),
      })
      .prefault({}),
    shutdown: z
      .object({
        gracePeriodMs: z.coerce
          .number()
          .int()
          .min(1000)
          .default(25_000)
          .describe('Hard deadline for a clean stop; keep below terminationGracePeriodSeconds'),
      })
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const mode = config.mode;
    if (
      (config.bus ?? (mode === 'distributed' ? 'kafka' : 'memory')) === 'kafka' &&
      config.kafka.brokers.length === 0
    ) {
      ctx.addIssue({ code: 'custom', path: ['kafka', 'brokers'], message: 'required when the bus is kafka' });
    }
    if (config.kafka.saslMechanism !== 'none') {
      if (!config.kafka.saslUsername) {
        ctx.addIssue({
          code: 'custom',
          path: ['kafka', 'saslUsername'],
          message: `required when kafka.saslMechanism is ${config.kafka.saslMechanism}`,
        });
      }
      if (!config.kafka.saslPassword) {
        ctx.addIssue({
          code: 'custom',
          path: ['kafka', 'saslPassword'],
          message: `required when kafka.saslMechanism is ${config.kafka.saslMechanism}`,
        });
      }
    }
    if ((config.state ?? (mode === 'distributed' ? 'redis' : 'memory')) === 'redis' && !config.redis.url) {
      ctx.addIssue({ code: 'custom', path: ['redis', 'url'], message: 'required when the state is redis' });
    }
    if ((config.store ?? (mode === 'distributed' ? 'clickhouse' : 'chdb')) === 'clickhouse' && !config.clickhouse.url) {
      ctx.addIssue({ code: 'custom', path: ['clickhouse', 'url'], message: 'required when the store is clickhouse' });
    }
    if (config.security.encryptionKey && Buffer.from(config.security.encryptionKey.reveal(), 'base64').length !== 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['security', 'encryptionKey'],
        message: 'must be the base64 of exactly 32 bytes',
      });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
type ParsedConfig = z.output<typeof configSchema>;

/** The validated configuration with adapter choices resolved from the mode. */
export type NightjarConfig = Omit<ParsedConfig, 'bus' | 'state' | 'store'> & {
  readonly bus: 'memory' | 'kafka';
  readonly state: 'memory' | 'redis';
  readonly store: 'chdb' | 'clickhouse';
};

export function resolveAdapters(config: ParsedConfig): NightjarConfig {
  const distributed = config.mode === 'distributed';
  return {
    ...config,
    bus: config.bus ?? (distributed ? 'kafka' : 'memory'),
    state: config.state ?? (distributed ? 'redis' : 'memory'),
    store: config.store ?? (distributed ? 'clickhouse' : 'chdb'),
  };
}
