export { createRedisState } from './redis-state.ts';
export type { RedisStateOptions } from './redis-state.ts';
