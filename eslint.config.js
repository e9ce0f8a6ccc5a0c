/**
 * Lint: ESLint's and typescript-eslint's recommended rules, plus `no-floating-promises` with type
 * information (an unawaited build or browser close fails silently). Formatting is Prettier's job.
 */
import Module from 'node:module'

/*
 * typescript-eslint reads types through the TypeScript compiler API (`require('typescript')`), which
 * TypeScript 7 (the Go compiler this project builds with) no longer ships. The linter alone gets
 * TypeScript 6.0, the last release with that API, installed as `typescript-for-lint`: requests for
 * `typescript` and `typescript/…` from the CommonJS loader are pointed there before typescript-eslint
 * loads. See docs/decisions/005-lint-and-format.md.
 */
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (request, ...rest) {
  const target = /^typescript(\/|$)/.test(request) ? request.replace(/^typescript/, 'typescript-for-lint') : request
  return resolveFilename.call(this, target, ...rest)
}

const { defineConfig, globalIgnores } = await import('eslint/config')
const { default: js } = await import('@eslint/js')
const { default: tseslint } = await import('typescript-eslint')

export default defineConfig(
  globalIgnores(['dist/', '.cache/', 'node_modules/', 'test/fixtures/**/dist/', 'test/fixtures/**/.cache/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The size limits of DESIGN.md's Style section: small modules, short functions.
    files: ['build/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The site's script (the theme's build/theme/templates/site.js, or a book's templates/site.js) runs in the
    // reader's browser.
    files: ['templates/**/*.js', 'build/theme/templates/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'history',
          'navigator',
          'getComputedStyle',
          'requestAnimationFrame',
          'setTimeout',
          'clearTimeout',
          'IntersectionObserver',
          'URL',
          'URLSearchParams',
          'Element',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
)
