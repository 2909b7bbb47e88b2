import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedTypes } from '../scripts/generated-types.ts';

describe('generated event types', () => {
  it('match the Avro schemas (run `pnpm --filter @nightjar/events generate` after changing a schema)', async () => {
    for (const file of await generatedTypes()) {
      expect(readFileSync(file.path, 'utf8'), file.path).toBe(file.text);
    }
  });
});
