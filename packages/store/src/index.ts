export type { CommandOptions, HistoryStore, InsertOptions, Migration, QueryParams } from './port.ts';
export { MigrationError, StoreLockedError, StoreQueryError } from './errors.ts';
export { loadMigrations, migrationChecksum, splitStatements } from './migrations/migration-files.ts';
export { migrate, type MigrateOptions, type MigrateResult, type MigrationLogger } from './migrations/migrate.ts';
export { mspSettingsDocuments, type MspSettingsDocuments, type MspSettingsKind } from './msp-settings.ts';
export { clickhouseTime } from './time.ts';
export { applyRetention, RETENTION_TABLES, type AppliedRetention, type RetentionDays } from './retention/retention.ts';
