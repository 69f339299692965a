// ESLint flat config: the recommended JavaScript and TypeScript rules for the whole project.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'vendor/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Plain Node.js scripts (scripts/*.mjs, this file): declare the Node globals they use.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    rules: {
      // `_`-prefixed names mark parameters that an interface requires but this code does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
