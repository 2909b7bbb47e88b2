export { Sink } from './sink.ts';
export type { SinkOptions } from './sink.ts';
export { MIGRATIONS_DIR, TABLES, toRow } from './tables.ts';
