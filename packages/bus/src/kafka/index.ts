export { createKafkaBus, type KafkaBusOptions } from './kafka-bus.ts';
export type { BusLogger } from './kafka-logger.ts';
