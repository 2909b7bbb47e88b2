import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBusContract } from '../testing/index.ts';
import { createMemoryBus } from './index.ts';

describeBusContract('memory', () => createMemoryBus());
describeBusContract('memory with a journal', () =>
  createMemoryBus({ journalPath: join(mkdtempSync(join(tmpdir(), 'nightjar-journal-')), 'bus.journal') }),
);
