import { defineConfig } from 'vitest/config'

/**
 * Two tiers. `unit` needs no browser and no child process: the inner loop, a few seconds
 * (`npm run test:unit`). `e2e` prints real PDFs with Chromium, drives the site in it, and
 * runs the CLI and the dev server (`npm run test:e2e`). `npm test` runs both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The files share a worker's module cache: the engine is imported once per worker, not once per file.
          isolate: false,
          testTimeout: 30_000,
          // The first file compiles the vega-lite schema validator; on a busy 2-core machine that can pass 10 s.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Browser-driven tests print real PDFs: give them room, and run files one at a time on 2 cores.
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
})
