import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '@nightjar/core';
import { configSchema, resolveAdapters, ROLE_NAMES, type NightjarConfig } from './schema.ts';
import { envNameFor, listSettings, type SettingInfo } from './settings.ts';

export interface LoadConfigOptions {
  /** YAML file; when unset, `NIGHTJAR_CONFIG` names it, else defaults and env alone apply. */
  readonly file?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Settings given on the command line; they win over file and env. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

export interface LoadedConfig {
  readonly config: NightjarConfig;
  /** Valid but suspicious input, each with an explanation, for a start-up log line. */
  readonly warnings: readonly string[];
}

/** Environment variables read by scripts and tools rather than by the config schema. */
const NON_SETTING_ENV = new Set(['NIGHTJAR_CONFIG']);
const TOOLING_ENV_PREFIXES = [
  'NIGHTJAR_TEST_',
  'NIGHTJAR_BOOTSTRAP_',
  'NIGHTJAR_KAFKA_PORT',
  'NIGHTJAR_KAFKA_DATA_DIR',
  'NIGHTJAR_REDIS_PORT',
  'NIGHTJAR_SIM_',
];

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const file = options.file ?? env['NIGHTJAR_CONFIG'];
  const raw: Record<string, unknown> = file ? readYaml(file) : {};

  const settings = listSettings();
  const known = new Set(settings.map((setting) => setting.env));
  for (const setting of settings) {
    const value = env[setting.env];
    if (value === undefined || value === '') continue;
    setPath(raw, setting.path, fromEnv(setting, value));
  }
  for (const name of Object.keys(env)) {
    if (!name.startsWith('NIGHTJAR_') || known.has(name) || NON_SETTING_ENV.has(name)) continue;
    if (TOOLING_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    warnings.push(`${name} is set but is not a Nightjar setting (a typo?); it is ignored`);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, path, value);
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const secretPaths = new Set(settings.filter((setting) => setting.secret).map((setting) => setting.path));
    throw new ConfigError(parsed.error.issues.map((issue) => describeIssue(issue, raw, file, secretPaths)));
  }
  const config = resolveAdapters(parsed.data);
  if (config.mode === 'embedded' && config.bus === 'kafka') {
    warnings.push('bus is kafka in embedded mode: roles in other processes will share this bus; intended?');
  }
  const roles = new Set(config.roles.includes('all') ? ROLE_NAMES : config.roles);
  if (config.store === 'chdb' && !roles.has('api') && (roles.has('detector') || roles.has('notifier'))) {
    warnings.push(
      'store is chdb and this process does not serve the API: detection and notification settings changed ' +
        'through the API will not reach it; give every process the same ClickHouse server (NIGHTJAR_CLICKHOUSE_URL)',
    );
  }
  // The embedded mode keeps a generated key in its data folder instead.
  if (!config.security.encryptionKey && config.mode !== 'embedded') {
    warnings.push(
      'security.encryptionKey is not set: tenant credentials cannot be stored; set NIGHTJAR_SECURITY_ENCRYPTION_KEY',
    );
  }
  return { config, warnings };
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`config file ${file} cannot be read: ${(error as Error).message}`]);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new ConfigError(document.errors.map((error) => `${file}: ${error.message}`));
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([`${file}: the top level must be a mapping of settings`]);
  }
  return value as Record<string, unknown>;
}

function fromEnv(setting: SettingInfo, value: string): unknown {
  if (setting.type === 'array')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  if (setting.type === 'boolean') return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
  return value;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[segments.at(-1)!] = value;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
  file: string | undefined,
  secretPaths: ReadonlySet<string>,
): string {
  const path = issue.path.join('.');
  // List items are set through the list's variable (NIGHTJAR_ROLES=a,b), so an index is not part of the name.
  const settingPath = issue.path.filter((segment) => typeof segment === 'string').join('.');
  const where = file ? ` or ${settingPath} in ${file}` : '';
  const source = path ? ` (${envNameFor(settingPath)}${where})` : file ? ` (in ${file})` : '';
  // The value as given (before coercion), never for secrets.
  const given = issue.path.reduce<unknown>(
    (node, segment) =>
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[segment] : undefined,
    raw,
  );
  const showGiven = given !== undefined && issue.code !== 'unrecognized_keys' && !secretPaths.has(settingPath);
  return `${path || '<root>'}${source}: ${issue.message}${showGiven ? ` (got ${JSON.stringify(given)})` : ''}`;
}
