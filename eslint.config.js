// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tools/**', '.cache/**', '.data/**', '**/dist/**', 'deploy/local/.run/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nightjar/*/src/*'], message: 'Import a package through its exports, not its files.' },
            { group: ['**/services/*'], message: 'Packages never import services.' },
          ],
        },
      ],
      'no-console': 'error',
      // Interface implementations are async by contract even when one adapter has nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'packages/testkit/**/*.ts', 'packages/*/src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: [
      'deploy/**/*.ts',
      'services/nightjar/src/cli.ts',
      'test/bench/**/*.ts',
      '**/bench.ts',
      '**/bench/**/*.ts',
      'packages/*/scripts/**/*.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  { files: ['eslint.config.js', '**/bin/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/bin/*.js'], languageOptions: { globals: { process: 'readonly' } } },
);
