/**
 * Writes src/generated/*.ts from the Avro schemas in schemas/avro, the single
 * source of truth of the event model. `pnpm --filter @nightjar/events generate`;
 * a test fails when the checked-in output is stale.
 */
import { writeFileSync } from 'node:fs';
import { generatedTypes } from './generated-types.ts';

for (const file of await generatedTypes()) {
  writeFileSync(file.path, file.text);
  console.log(`wrote ${file.path}`);
}
