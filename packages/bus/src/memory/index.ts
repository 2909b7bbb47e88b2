export { createMemoryBus, type MemoryBusOptions } from './memory-bus.ts';
