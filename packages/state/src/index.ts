export type { StateOp, StateOpResult, StateStore, WindowEntry, WindowAddResult } from './port.ts';
