export { buildApi, type Access, type ApiOptions } from './app.ts';
export { ApiKeys, type Caller, type IssuedKey, type KeyRole } from './api-keys.ts';
