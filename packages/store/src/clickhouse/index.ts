export { createClickHouseStore, type ClickHouseStoreOptions } from './clickhouse-store.ts';
