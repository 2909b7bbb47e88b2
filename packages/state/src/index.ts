export type { StateOp, StateOpResult, StateStore, WindowEntry, WindowAddResult, WindowRecordResult } from './port.ts';
