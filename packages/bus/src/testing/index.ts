export { describeBusContract } from './contract.ts';
