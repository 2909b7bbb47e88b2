// Run by chdb-lock.test.ts in a child process: opens the chDB store at argv[2] and reports the outcome.
import { errorMessage } from '@nightjar/core';
import { createChdbStore } from './chdb-store.ts';

try {
  const store = await createChdbStore({ path: process.argv[2]! });
  await store.query('SELECT 1');
  await store.close();
  process.stdout.write('opened\n');
} catch (error) {
  process.stderr.write(`${String((error as { code?: unknown }).code)}: ${errorMessage(error)}\n`);
  process.exitCode = 1;
}
