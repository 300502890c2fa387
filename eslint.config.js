// Lint: typescript-eslint's recommended rules, Nx module boundaries (the folders show the architecture, and the
// tags keep it that way), formatting left to prettier.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.local/**', '.nx/**', '**/generated/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contract', 'type:platform', 'type:provider', 'type:dialect'] },
            { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:contract', 'type:platform', 'type:provider'] },
            { sourceTag: 'type:dialect', onlyDependOnLibsWithTags: ['type:contract', 'type:platform'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contract', 'type:platform'] },
            { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
            // The sandbox stands in for the outside world: it shares nothing with the gateway.
            { sourceTag: 'type:sandbox', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contract', 'type:platform', 'type:provider', 'type:dialect'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
