export { createMemoryState } from './memory-state.ts';
export type { MemoryStateOptions } from './memory-state.ts';
