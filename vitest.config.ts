import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one broker and one Redis; files run in parallel
    // but each uses unique topic names and key prefixes.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    env: { KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  },
});
