export * from './services.ts';
export * from './kafka-broker.ts';
export * from './tcp-proxy.ts';
