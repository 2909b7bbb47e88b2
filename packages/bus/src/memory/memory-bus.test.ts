import { describeBusContract } from '../testing/index.ts';
import { createMemoryBus } from './index.ts';

describeBusContract('memory', () => createMemoryBus());
