/**
 * Benchmarks: how far the build is from the physical floor of Chromium
 * printing, and how its cost grows with the size of the book.
 *
 * Every build goes into a temporary output folder and a temporary cache
 * folder, on a temporary copy of the book, so the book's own `dist/` and
 * `.cache/` are never touched; only `dist/bench.json` is written, at the end.
 * Numbers on a shared machine are noisy: each case runs several times after a
 * warm-up and is reported as median, min and max, and PDF timings as ratios to
 * the floor measured in the same run.
 *
 * Run counts: every case runs 5 times, the repeated book too (×16: each run
 * prints sixteen books' worth of pages), since targets are judged on medians
 * of at least five runs: about 10 minutes on a quiet 2-core machine.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeAtomic } from '../../build/index.ts'
import { copyBook, readBook } from '../book.ts'
import { runBuildCases } from './build-cases.ts'
import type { BenchContext } from './cases.ts'
import { runEditCases } from './edit-cases.ts'
import { repeatBook } from './edits.ts'
import { MemorySampler, cliPeakMB } from './memory.ts'
import { runEndToEnd } from './end-to-end.ts'
import { MB, type BenchOptions, type BenchResult } from './results.ts'
import { targets } from './targets.ts'

/** Run every case, print nothing but `log` lines, write the JSON file, and return the results. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const root = path.resolve(options.root ?? process.cwd())
  const quick = options.quick ?? false
  const started = performance.now()
  const loadStart = os.loadavg()
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-bench-'))
  const context: BenchContext = {
    runs: quick ? 1 : Math.max(1, options.runs ?? 5),
    bigRuns: quick ? 1 : Math.max(1, options.bigRuns ?? 5),
    scale: Math.max(2, options.scale ?? 16),
    quick,
    log: options.log ?? (() => undefined),
    sampler: new MemorySampler(),
    cases: [],
    temp: (name) => fs.mkdtemp(path.join(work, `${name}-`)),
  }
  try {
    const book = await copyBook(root, { dest: path.join(work, 'book') })
    const bigBook = await repeatBook(book, path.join(work, `book-x${context.scale}`), context.scale)
    context.log(`book: ${root}`)
    const built = await runBuildCases(context, book, bigBook)
    await runEditCases(context, book, built.warmCache)
    const endToEnd = await runEndToEnd(context, root)
    // The repeated book last in the table.
    context.cases.push(context.cases.splice(context.cases.indexOf(built.big), 1)[0]!)
    for (const result of context.cases) if (result.pdf) result.floorRatio = result.median / built.floor.median
    // What a user runs: `npm run build` on a cold cache, in its own process.
    context.log('cold build through the CLI, in its own process: peak memory')
    const cliPeak = await cliPeakMB(book, await context.temp('cli-out'))
    const { model } = await readBook(book)
    const result: BenchResult = {
      version: 1,
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? '',
        memoryMB: Math.round(os.totalmem() / MB),
        loadAverage: { start: loadStart, end: os.loadavg() },
        node: process.version,
        platform: `${process.platform} ${os.release()}`,
      },
      book: {
        root,
        chapters: model.chapters.length,
        figures: model.figures.length,
        tables: model.tables.length,
        pages: built.first.pages ?? 0,
        scale: context.scale,
      },
      settings: { runs: context.runs, bigRuns: context.bigRuns, quick },
      floor: built.floor,
      cases: context.cases,
      targets: targets(context, built, endToEnd, cliPeak),
      totalSeconds: (performance.now() - started) / 1000,
    }
    // Written last: the builds above never touch `<root>/dist`, and a rename leaves no half-written file.
    const jsonFile = path.resolve(options.json ?? path.join(root, 'dist', 'bench.json'))
    await fs.mkdir(path.dirname(jsonFile), { recursive: true })
    await writeAtomic(jsonFile, `${JSON.stringify(result, null, 2)}\n`)
    return result
  } finally {
    await context.sampler.close()
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined)
  }
}
