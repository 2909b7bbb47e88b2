import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toTypeScript } from '@ovotech/avro-ts';
import type { Schema } from 'avsc';
import { format } from 'prettier';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_DIR = join(packageDir, '..', '..', 'schemas', 'avro');
const OUT_DIR = join(packageDir, 'src', 'generated');

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

/** The TypeScript each .avsc file yields, formatted as the repository formats code. */
export async function generatedTypes(): Promise<GeneratedFile[]> {
  const prettierOptions = JSON.parse(readFileSync(join(packageDir, '..', '..', '.prettierrc.json'), 'utf8')) as object;
  const files = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.avsc'))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as Schema;
      // Namespaces would make the generator emit TypeScript namespaces, which Node's type stripping rejects.
      const types = toTypeScript(withoutNamespaces(schema) as Schema, {
        logicalTypes: { 'timestamp-millis': 'number' },
      });
      const source = [
        `// Generated from schemas/avro/${file} by packages/events/scripts/generate-types.ts; do not edit.`,
        types.replace(/^export type AvroType = .*$/m, ''),
      ].join('\n');
      const text = await format(source, { ...prettierOptions, parser: 'typescript' });
      return { path: join(OUT_DIR, `${basename(file, '.avsc')}.ts`), text };
    }),
  );
}

function withoutNamespaces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNamespaces);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'namespace')
      .map(([key, inner]) => [key, withoutNamespaces(inner)]),
  );
}
