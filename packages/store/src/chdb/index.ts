export { createChdbStore, type ChdbStoreOptions } from './chdb-store.ts';
