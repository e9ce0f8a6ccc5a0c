/**
 * `npm run bench`: measure the build against the floor of Chromium printing
 * and write `dist/bench.json`.
 *
 *   npm run bench [-- --root DIR --runs 5 --big-runs 5 --scale 16 --json FILE --quick]
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { formatResult } from './report.ts'
import { runBench } from './run.ts'

const USAGE = `Usage: npm run bench [-- --root DIR] [--runs 5] [--big-runs 5] [--scale 16] [--json FILE] [--quick]
  Measures the build against the floor of Chromium printing and writes dist/bench.json.
  --quick (or BENCH_QUICK=1): one run per case and no warm-ups, for a smoke test.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      runs: { type: 'string' },
      'big-runs': { type: 'string' },
      scale: { type: 'string' },
      json: { type: 'string' },
      quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const number = (value: string | undefined) => (value ? Number(value) : undefined)
  const result = await runBench({
    root: values.root,
    runs: number(values.runs),
    bigRuns: number(values['big-runs']),
    scale: number(values.scale),
    json: values.json,
    quick: values.quick,
    log: (line) => console.error(line),
  })
  console.log(`\n${formatResult(result)}`)
  const written = path.resolve(values.json ?? path.join(result.book.root, 'dist', 'bench.json'))
  console.log(`\nwrote ${path.relative(process.cwd(), written)}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
