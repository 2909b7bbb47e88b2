export { describeStoreContract } from './contract.ts';
