export { configSchema, ROLE_NAMES, resolveAdapters } from './schema.ts';
export type { ConfigInput, NightjarConfig, RoleName } from './schema.ts';
export { loadConfig } from './load.ts';
export type { LoadConfigOptions, LoadedConfig } from './load.ts';
export { configJsonSchema, envNameFor, listSettings } from './settings.ts';
export type { SettingInfo } from './settings.ts';
export { redactPaths } from './redact.ts';
