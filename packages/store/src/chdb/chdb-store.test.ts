import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeStoreContract } from '../testing/index.ts';
import { createChdbStore } from './chdb-store.ts';

// chDB binds one data directory per process, so the whole file shares one store; a missing nested dir proves creation.
const root = mkdtempSync(join(tmpdir(), 'nightjar-chdb-contract-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeStoreContract('chDB', () => createChdbStore({ path: join(root, 'nested', 'data') }));
