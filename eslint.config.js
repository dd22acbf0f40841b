// ESLint flat config: @eslint/js recommended + typescript-eslint's type-aware rules for every
// TypeScript file (src/, web/, e2e/) and the tooling scripts (checked as JavaScript with types).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/', '.bench-dist/', 'node_modules/', 'data/', 'coverage/', 'e2e/artifacts/', '**/*.d.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its nearest tsconfig.json: ./tsconfig.json (src),
        // web/tsconfig.json, e2e/tsconfig.json, scripts/tsconfig.json. Root-level config files
        // belong to no project and get a default one.
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'vitest.config.ts', 'vitest.e2e.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promise mistakes are the bugs these rules exist for: always errors.
      '@typescript-eslint/no-floating-promises': 'error',
      // React event handlers (JSX attributes) may be async; callbacks passed to void-returning APIs may not.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // TypeScript already reports undefined names (and knows Node's and the browser's globals).
      'no-undef': 'off',
      // Fastify route handlers are `async` by convention even when they return a value directly.
      '@typescript-eslint/require-await': 'off',
      // Its fixes can change inference: it calls `ctx.logger as FastifyBaseLogger` (src/http/server.ts)
      // unnecessary, yet removing the cast makes Fastify infer another logger type and breaks the build.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Template literals with numbers and booleans are fine; objects and nullish values are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Tests and their helpers read responses with `res.json()` (typed `any`) and assert on them:
    // the assertion is the type check there.
    files: ['**/*.test.ts', '**/*.test.tsx', '**/test-*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
