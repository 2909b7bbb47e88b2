export { describeStateContract } from './contract.ts';
export type { ContractContext, MakeStore } from './contract.ts';
