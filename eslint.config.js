// One lint config for every TypeScript workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Imports resolve as TypeScript resolves them (`./x.js` → `./x.ts`, workspace packages through
// their `source` export condition), so the import rules see the real graph.
const importSettings = {
  // Parse imported TypeScript files too (the default parser cannot, and no-cycle then sees no edges).
  'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.cts', '.mts'] },
  'import-x/extensions': ['.ts', '.tsx', '.cts', '.mts', '.js', '.jsx', '.cjs', '.mjs'],
  'import-x/resolver-next': [
    createTypeScriptImportResolver({
      project: ['*/tsconfig.json', 'ops/deploy/tsconfig.json', 'client/tsconfig.app.json'],
      conditionNames: ['source', 'types', 'import', 'node', 'default'],
      noWarnOnMultipleProjects: true,
    }),
  ],
};

// No workspace may contain an import cycle: a cycle is a layering mistake (the two modules are
// one), and in ESM it can also leave a binding uninitialised at start-up.
const noCycle = { 'import-x/no-cycle': ['error', { ignoreExternal: true }] };

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/.data/**', '**/.angular/**'],
  },
  {
    // The Angular client has its own conventions (and compiler); here it is checked for cycles only.
    files: ['client/src/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { 'import-x': importX },
    settings: importSettings,
    rules: noCycle,
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,mts}'],
    ignores: ['client/**'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: importSettings,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      ...noCycle,
    },
  },
  {
    // The api's layers (docs/architecture.md): entry points → domain → data access, never back.
    files: ['api/src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './api/src/domain',
              from: './api/src/entry-points',
              message: 'the domain must not know its entry points (HTTP, subscribers)',
            },
            {
              target: './api/src/data-access',
              from: ['./api/src/entry-points', './api/src/domain'],
              except: ['./errors.ts'],
              message: 'data access must not import the domain services or the entry points',
            },
          ],
        },
      ],
    },
  },
  {
    // The launcher and test runner are CLIs: printing to the terminal is their job.
    files: ['ops/src/**/*.ts', 'ops/bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
