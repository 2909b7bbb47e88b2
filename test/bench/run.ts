/**
 * `pnpm bench [filter]`: runs every benchmark script of the workspace (files
 * named bench.ts or under a bench/ folder) one after another, each in its own
 * process from its package folder, and prints their figures.
 * Benchmarks need the local servers: `deploy/local/infra.sh up` and its env.
 */
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const filter = process.argv[2];
const scripts = globSync(
  ['packages/*/src/**/bench.ts', 'packages/*/src/**/bench/*.ts', 'services/*/src/**/bench/*.ts'],
  {
    cwd: root,
  },
)
  .filter((file) => !file.endsWith('.test.ts') && (!filter || file.includes(filter)))
  .sort();

if (scripts.length === 0) {
  console.error(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  process.exit(1);
}
let failed = 0;
for (const script of scripts) {
  const packageDir = join(root, script.split('/').slice(0, 2).join('/'));
  console.log(`\n## ${script}`);
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', relative(packageDir, join(root, script))],
    {
      cwd: packageDir,
      stdio: 'inherit',
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    },
  );
  if (result.status !== 0) {
    failed += 1;
    console.error(`${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
