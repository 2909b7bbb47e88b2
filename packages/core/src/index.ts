export * from './errors.ts';
export * from './secret.ts';
export * from './clock.ts';
export * from './sealed.ts';
