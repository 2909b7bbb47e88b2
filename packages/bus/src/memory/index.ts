export { createMemoryBus } from './memory-bus.ts';
