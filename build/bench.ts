/**
 * Benchmarks: how far the build is from the physical floor of Chromium
 * printing, and how its cost grows with the size of the book.
 *
 * Every build goes into a temporary output folder and a temporary cache
 * folder, on a temporary copy of the book, so the repository's own `dist/`
 * and `.cache/` are never touched; only `dist/bench.json` is written, at the
 * end. Numbers on a shared machine are noisy: each case runs several times
 * after a warm-up and is reported as median, min and max, and PDF timings as
 * ratios to the floor measured in the same run.
 *
 *   npm run bench [-- --root DIR --runs 5 --big-runs 3 --scale 4 --json FILE --quick]
 *
 * Run counts: every case runs 5 times, the repeated book 3 times (each of
 * its runs prints four books' worth of pages), so that the whole bench stays
 * within about 5 minutes on a quiet 2-core machine.
 */
import fs from 'node:fs/promises'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { parseArgs, promisify } from 'node:util'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import YAML from 'yaml'
import { Builder, type BuildSummary } from './builder.ts'
import { BuildError, formatDiagnostic } from './diagnostics.ts'
import { findBrowser, launchBrowser } from './browser.ts'
import { REFERENCE, chineseNumeral } from './model.ts'
import { startDevServer } from './dev.ts'

export interface BenchOptions {
  /** The book to measure. Default: the repository root. */
  root?: string
  /** Measured runs per case. Default 5. */
  runs?: number
  /** Measured runs of the repeated book, whose every run prints `scale` times the pages. Default 3. */
  bigRuns?: number
  /** How many times the book is repeated for the size case. Default 4. */
  scale?: number
  /** Where the results are written. Default: `<root>/dist/bench.json`. */
  json?: string
  /** Smoke mode: one run per case, no warm-ups, and the first build stands for the cold build. Default false. */
  quick?: boolean
  /** Progress lines. Default: none. */
  log?: (line: string) => void
}

/** One measured build (or floor print). */
export interface Run {
  ms: number
  /** Peak resident memory of this Node process during the run, in MB. */
  nodePeakMB: number
  /** Sum of the peak resident memory of every Chromium process alive during the run, in MB (0 when none ran). */
  chromiumPeakMB: number
  /** The largest sum of Chromium processes' resident memory seen at one sample, in MB. */
  chromiumConcurrentMB: number
  stages?: Record<string, number>
  passes?: number
  figuresRendered?: number
  pages?: number
  /** The floor's parts: launch, load, pdf, close (ms). */
  parts?: Record<string, number>
}

interface CaseSpec {
  name: string
  label: string
  pdf: boolean
  /** Measured runs. Default: the bench's `runs`. */
  count?: number
  /** One unmeasured run first (skipped in quick mode). */
  warmup?: boolean
  /** Runs already measured: the case is not run again. */
  reuse?: Run[]
  run: (index: number) => Promise<Run>
}

export interface Stats {
  median: number
  min: number
  max: number
}

export interface CaseResult extends Stats {
  name: string
  label: string
  pdf: boolean
  runs: Run[]
  /** Median ÷ floor median, for cases that print or could print. */
  floorRatio?: number
  /** Median of each stage (and `pdf: pass 1`, `pdf: pass 2`, `pdf: verify`) across runs, in ms. */
  stages: Record<string, number>
  nodePeakMB: number
  chromiumPeakMB: number
  note?: string
}

export interface FloorResult extends Stats {
  runs: Run[]
  /** Medians of launch, load (goto + fonts), pdf and close, in ms. */
  parts: Record<string, number>
  pages: number
  chromium: string
}

export interface Target {
  id: string
  label: string
  value: number
  limit: number
  unit: string
  pass: boolean
}

export interface BenchResult {
  version: 1
  date: string
  machine: { cpus: number; cpuModel: string; memoryMB: number; loadAverage: { start: number[]; end: number[] }; node: string; platform: string }
  book: { root: string; chapters: number; figures: number; tables: number; pages: number; scale: number }
  settings: { runs: number; bigRuns: number; quick: boolean }
  floor: FloorResult
  cases: CaseResult[]
  targets: Target[]
  totalSeconds: number
}

const MB = 1024 * 1024
const execFileAsync = promisify(execFile)
/** The book to measure by default: the folder `npm run bench` runs in. */
const REPO = process.cwd()
/** Exactly what build/print.ts asks of Chromium. */
const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: true } as const

/** Run every case, print nothing but `log` lines, write the JSON file, and return the results. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const root = path.resolve(options.root ?? REPO)
  const quick = options.quick ?? false
  const runs = quick ? 1 : Math.max(1, options.runs ?? 5)
  const bigRuns = quick ? 1 : Math.max(1, options.bigRuns ?? 3)
  const scale = Math.max(2, options.scale ?? 4)
  const jsonFile = path.resolve(options.json ?? path.join(root, 'dist', 'bench.json'))
  const log = options.log ?? (() => undefined)
  const started = performance.now()
  const loadStart = os.loadavg()
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-bench-'))
  const sampler = new MemorySampler()
  const temp = (name: string) => fs.mkdtemp(path.join(work, `${name}-`))

  try {
    const book = await copyBook(root, path.join(work, 'book'))
    const bigBook = await repeatBook(book, path.join(work, `book-x${scale}`), scale)
    const warmCache = await temp('cache-warm')
    const cases: CaseResult[] = []

    /** Build once, measured. `before` prepares the run (edits, cache clearing) outside the timing. */
    const measure = async (bookRoot: string, opts: { outDir: string; cacheDir: string; pdf: boolean }): Promise<Run> => {
      const builder = new Builder({ root: bookRoot, ...opts })
      const printSteps: Record<string, number> = {}
      builder.on('printStep', (step, ms) => (printSteps[`pdf: ${step}`] = (printSteps[`pdf: ${step}`] ?? 0) + ms))
      await sampler.start()
      const t0 = performance.now()
      let summary: BuildSummary
      try {
        summary = await builder.build()
      } catch (error) {
        await sampler.stop()
        if (error instanceof BuildError) throw new Error(`The build of ${bookRoot} failed:\n${error.diagnostics.map(formatDiagnostic).join('\n')}`)
        throw error
      }
      const ms = performance.now() - t0
      const memory = await sampler.stop()
      return {
        ms,
        ...memory,
        stages: { ...Object.fromEntries(summary.stages.map((s) => [s.name, s.ms])), ...printSteps },
        passes: summary.pdf?.passes,
        figuresRendered: summary.figures.rendered,
        pages: summary.pdf?.pages,
      }
    }

    /**
     * Measure cases side by side: first every warm-up, then rounds in which
     * each case runs once, so that a change in the machine's load (it is
     * shared) touches every case alike and their ratios stay fair. `run`
     * prepares its run (edits, cache clearing) outside the timing; a warm-up
     * gets index -1. A case with `reuse` is not run again.
     */
    const schedule = async (specs: CaseSpec[]): Promise<CaseResult[]> => {
      if (specs.length === 1 && (specs[0]!.count ?? runs) > 1) log(`${specs[0]!.label}: ${specs[0]!.count ?? runs} runs`)
      for (const spec of specs) {
        if (!spec.warmup || quick || spec.reuse) continue
        log(`${spec.label}: warm-up`)
        await spec.run(-1)
      }
      const measured = specs.map((spec) => spec.reuse ?? [])
      const rounds = Math.max(0, ...specs.map((spec) => (spec.reuse ? 0 : (spec.count ?? runs))))
      for (let i = 0; i < rounds; i++) {
        if (rounds > 1 && specs.length > 1) log(`round ${i + 1} of ${rounds}`)
        for (const [k, spec] of specs.entries()) {
          if (spec.reuse || i >= (spec.count ?? runs)) continue
          const result = await spec.run(i)
          measured[k]!.push(result)
          log(`  ${spec.label}: ${(result.ms / 1000).toFixed(2)} s${result.passes !== undefined ? `, ${result.passes === 0 ? 'PDF reused' : `${result.passes} print pass${result.passes > 1 ? 'es' : ''}`}` : ''}${result.figuresRendered !== undefined ? `, ${result.figuresRendered} figure(s) rendered` : ''}`)
        }
      }
      return specs.map((spec, k) => {
        const runs = measured[k]!
        const result: CaseResult = {
          name: spec.name,
          label: spec.label,
          pdf: spec.pdf,
          runs,
          ...stats(runs.map((r) => r.ms)),
          stages: medianStages(runs),
          nodePeakMB: Math.max(...runs.map((r) => r.nodePeakMB)),
          chromiumPeakMB: Math.max(...runs.map((r) => r.chromiumPeakMB)),
        }
        if (spec.name !== 'floor') cases.push(result)
        return result
      })
    }

    // The first build of the process also loads modules and fonts: it is the warm-up of the cold case, fills the warm cache, and gives the floor its document.
    log(`book: ${root}`)
    const firstOut = await temp('out-first')
    const [firstCase] = await schedule([{ name: 'first', label: 'first build in a fresh process (cold cache, PDF)', pdf: true, count: 1, run: () => measure(book, { outDir: firstOut, cacheDir: warmCache, pdf: true }) }])
    const first = firstCase!.runs[0]!
    const htmlFile = path.join(firstOut, 'whitepaper.html')
    const executable = findBrowser()
    const version = { chromium: '' }

    // The repeated book: the same conditions as the full PDF case (warm figures, last build's page numbers, no PDF cache).
    // Its warm-up renders no figure (the figure cache is shared) but leaves the page numbers and font subsets that its runs reuse, as the first build did for ×1.
    const bigCache = await temp('cache-big')
    await fs.cp(path.join(warmCache, 'figures'), path.join(bigCache, 'figures'), { recursive: true }).catch(() => undefined)
    const [coldOut, warmOut, pdfOut, bigOut] = await Promise.all(['out-cold', 'out-warm', 'out-pdf', 'out-big'].map(temp))
    const [floorCase, , , fullPdf, big] = await schedule([
      { name: 'floor', label: 'floor (launch + load + page.pdf() + close)', pdf: true, warmup: true, run: () => measureFloor(htmlFile, executable, sampler, version) },
      {
        name: 'cold',
        label: 'cold build (fresh cache, PDF)',
        pdf: true,
        reuse: quick ? [first] : undefined,
        run: async () => {
          const cacheDir = await temp('cache-cold')
          try {
            return await measure(book, { outDir: coldOut!, cacheDir, pdf: true })
          } finally {
            await fs.rm(cacheDir, { recursive: true, force: true })
          }
        },
      },
      { name: 'warm', label: 'warm no-change build (PDF)', pdf: true, warmup: true, run: () => measure(book, { outDir: warmOut!, cacheDir: warmCache, pdf: true }) },
      {
        name: 'pdf',
        label: 'full PDF (warm figures, PDF cache cleared)',
        pdf: true,
        // The first build left the page numbers that pass 1 reuses: no warm-up needed.
        run: async () => {
          await fs.rm(path.join(warmCache, 'pdf'), { recursive: true, force: true })
          return measure(book, { outDir: pdfOut!, cacheDir: warmCache, pdf: true })
        },
      },
      {
        name: `pdf-x${scale}`,
        label: `full PDF, book ×${scale} (warm figures, PDF cache cleared)`,
        pdf: true,
        count: bigRuns,
        warmup: true,
        run: async () => {
          await fs.rm(path.join(bigCache, 'pdf'), { recursive: true, force: true })
          return measure(bigBook, { outDir: bigOut!, cacheDir: bigCache, pdf: true })
        },
      },
    ])
    big!.note = `${big!.runs[0]?.pages ?? 0} pages (×1: ${fullPdf!.runs[0]?.pages ?? 0}); ×${scale} ÷ ×1 = ${(big!.median / fullPdf!.median).toFixed(2)}`
    const floor: FloorResult = {
      median: floorCase!.median,
      min: floorCase!.min,
      max: floorCase!.max,
      runs: floorCase!.runs,
      parts: Object.fromEntries(['launch', 'load', 'pdf', 'close'].map((part) => [part, stats(floorCase!.runs.map((r) => r.parts?.[part] ?? 0)).median])),
      pages: first.pages ?? 0,
      chromium: version.chromium,
    }

    // Edits happen in their own copy, so the unchanged book stays unchanged for the cases above.
    const edited = await copyBook(book, path.join(work, 'book-edited'))
    const editCache = await temp('cache-edit')
    await fs.cp(warmCache, editCache, { recursive: true })
    const editOut = await temp('out-edit')
    const chapterFile = await editableChapter(edited)
    const chapterText = await fs.readFile(chapterFile, 'utf8')
    const line = sampleText(chapterText)
    await schedule([
      {
        name: 'chapter-edit',
        label: `chapter edit, site only (${path.basename(chapterFile)})`,
        pdf: false,
        warmup: true,
        run: async (index) => {
          await fs.writeFile(chapterFile, `${chapterText.trimEnd()}\n\n${line}${index + 10}\n`)
          return measure(edited, { outDir: editOut, cacheDir: editCache, pdf: false })
        },
      },
    ])
    await fs.writeFile(chapterFile, chapterText)

    const dataFile = await editableData(edited)
    const dataText = await fs.readFile(dataFile, 'utf8')
    const [dataEdit] = await schedule([
      {
        name: 'data-edit',
        label: `data edit, site only (${path.relative(edited, dataFile)})`,
        pdf: false,
        warmup: true,
        run: async (index) => {
          await fs.writeFile(dataFile, bumpFirstNumber(dataText, index + 10))
          return measure(edited, { outDir: editOut, cacheDir: editCache, pdf: false })
        },
      },
    ])
    dataEdit!.note = `figures re-rendered per run: ${dataEdit!.runs.map((r) => r.figuresRendered).join(', ')}`
    await fs.writeFile(dataFile, dataText)

    // The dev server: from saving a file to the served page showing the change.
    log('dev server: edit → served page')
    const dev = await startDevServer({ root: edited, port: 0, outDir: await temp('out-dev'), cacheDir: editCache, log: () => undefined })
    try {
      const ready = await dev.ready
      if (!ready.ok) throw new Error(`The dev server's first build failed:\n${ready.diagnostics.map(formatDiagnostic).join('\n')}`)
      const chapterPage = `${(await pageOfChapter(edited, chapterFile)) ?? 'index'}.html`
      const served = async (page: string, wanted: string, started: number): Promise<number> => {
        for (;;) {
          const html = await (await fetch(new URL(page, dev.url))).text()
          if (html.includes(wanted)) return performance.now() - started
          if (performance.now() - started > 20_000) throw new Error(`The dev server never served “${wanted}” in ${page}`)
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }
      const settle = () => new Promise((resolve) => setTimeout(resolve, 300))
      await schedule([
        {
          name: 'dev-chapter',
          label: `dev server: chapter edit → page served (${path.basename(chapterFile)})`,
          pdf: false,
          run: async (index) => {
            await settle()
            const token = `${line}${index + 100}`
            const t0 = performance.now()
            await fs.writeFile(chapterFile, `${chapterText.trimEnd()}\n\n${token}\n`)
            return { ms: await served(chapterPage, token, t0), nodePeakMB: Math.round(process.memoryUsage().rss / MB), chromiumPeakMB: 0, chromiumConcurrentMB: 0 }
          },
        },
      ])
      await fs.writeFile(chapterFile, chapterText)
      const dataPages = await pagesUsingData(edited, path.relative(path.join(edited, 'figures'), dataFile))
      await schedule([
        {
          name: 'dev-data',
          label: `dev server: data edit → figure served (${path.relative(edited, dataFile)})`,
          pdf: false,
          run: async (index) => {
            await settle()
            const edited = bumpFirstNumber(dataText, index + 100)
            const value = firstNumber(edited)
            const t0 = performance.now()
            await fs.writeFile(dataFile, edited)
            return { ms: await served(dataPages[0] ?? 'index.html', `>${value}<`, t0), nodePeakMB: Math.round(process.memoryUsage().rss / MB), chromiumPeakMB: 0, chromiumConcurrentMB: 0 }
          },
        },
      ])
      await fs.writeFile(dataFile, dataText)
    } finally {
      await dev.close()
    }
    // The repeated book last in the table.
    cases.push(cases.splice(cases.indexOf(big!), 1)[0]!)

    for (const result of cases) if (result.pdf) result.floorRatio = result.median / floor.median

    const devChapter = cases.find((c) => c.name === 'dev-chapter')!
    const devData = cases.find((c) => c.name === 'dev-data')!
    const cold = cases.find((c) => c.name === 'cold')!
    const warm = cases.find((c) => c.name === 'warm')!
    const fullPdfCase = fullPdf!
    const bigCase = big!
    // What a user runs: `npm run build` on a cold cache, in its own process.
    log('cold build through the CLI, in its own process: peak memory')
    const cliPeak = await cliPeakMB(book, await temp('cli-out'))
    const nodePeak = cliPeak
    const targets: Target[] = [
      { id: 'cold', label: 'cold full build ≤ 3× floor', value: cold.median / floor.median, limit: 3, unit: '× floor', pass: cold.median <= 3 * floor.median },
      { id: 'warm', label: 'warm no-change build ≤ 1.2× floor', value: warm.median / floor.median, limit: 1.2, unit: '× floor', pass: warm.median <= 1.2 * floor.median },
      { id: 'scale', label: `book ×${scale} ≤ ${scale + 0.5}× single book`, value: bigCase.median / fullPdfCase.median, limit: scale + 0.5, unit: '× single', pass: bigCase.median <= (scale + 0.5) * fullPdfCase.median },
      { id: 'memory', label: 'Node peak RSS < 500 MB (cold CLI build)', value: nodePeak, limit: 500, unit: 'MB', pass: nodePeak < 500 },
      { id: 'no-change', label: 'no-change build < 25% of a cold build', value: (100 * warm.median) / cold.median, limit: 25, unit: '%', pass: warm.median < 0.25 * cold.median },
      { id: 'dev-chapter', label: 'dev: chapter edit served < 300 ms', value: devChapter.median, limit: 300, unit: 'ms', pass: devChapter.median < 300 },
      { id: 'dev-data', label: 'dev: data edit served < 500 ms', value: devData.median, limit: 500, unit: 'ms', pass: devData.median < 500 },
    ]

    const { summary } = await bookFacts(book)
    const result: BenchResult = {
      version: 1,
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryMB: Math.round(os.totalmem() / MB), loadAverage: { start: loadStart, end: os.loadavg() }, node: process.version, platform: `${process.platform} ${os.release()}` },
      book: { root, ...summary, pages: first.pages ?? 0, scale },
      settings: { runs, bigRuns, quick },
      floor,
      cases,
      targets,
      totalSeconds: (performance.now() - started) / 1000,
    }
    // Written last: the builds above never touch `<root>/dist`, and a rename leaves no half-written file.
    await fs.mkdir(path.dirname(jsonFile), { recursive: true })
    const partial = `${jsonFile}.${process.pid}.tmp`
    await fs.writeFile(partial, `${JSON.stringify(result, null, 2)}\n`)
    await fs.rename(partial, jsonFile)
    return result
  } finally {
    await sampler.close()
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined)
  }
}

/**
 * Chromium's own minimum for the document: launch, load the print HTML
 * (it loads its fonts from `site/fonts`), one `page.pdf()` with the build's
 * options, close. Every build that prints does at least this.
 */
async function measureFloor(htmlFile: string, executable: string, sampler: MemorySampler, version: { chromium: string }): Promise<Run> {
  await sampler.start()
  const t0 = performance.now()
  const launched = await launchBrowser(executable)
  const t1 = performance.now()
  let t2 = t1
  let t3 = t1
  try {
    const page = await launched.browser.newPage()
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    t2 = performance.now()
    await page.pdf(PDF_OPTIONS)
    t3 = performance.now()
    await page.close()
    version.chromium ||= await launched.browser.version()
  } finally {
    await launched.close()
  }
  const t4 = performance.now()
  const memory = await sampler.stop()
  return { ms: t4 - t0, ...memory, parts: { launch: t1 - t0, load: t2 - t1, pdf: t3 - t2, close: t4 - t3 } }
}

/**
 * Samples memory from a worker thread, so that a main thread busy with a
 * synchronous step (vega, subsetting, pdf.js) cannot hide a peak. Node's own
 * peak is exact: the kernel's high-water mark (VmHWM), reset before each run
 * through /proc/self/clear_refs. Chromium's is the sum of each of its
 * processes' VmHWM (an upper bound: the peaks need not coincide), and the
 * largest sum of VmRSS seen in one sample.
 */
class MemorySampler {
  private worker?: Worker
  private readonly linux = process.platform === 'linux'

  async start(): Promise<void> {
    if (!this.linux) return
    try {
      writeFileSync('/proc/self/clear_refs', '5')
    } catch {
      // Without it, the worker's sampled VmRSS stands in for the high-water mark.
    }
    this.worker ??= new Worker(SAMPLER_SOURCE, { eval: true, workerData: { pid: process.pid, interval: 100 } })
    await this.ask('start')
  }

  async stop(): Promise<Pick<Run, 'nodePeakMB' | 'chromiumPeakMB' | 'chromiumConcurrentMB'>> {
    if (!this.linux || !this.worker) {
      return { nodePeakMB: Math.round(process.resourceUsage().maxRSS / 1024), chromiumPeakMB: 0, chromiumConcurrentMB: 0 }
    }
    const sampled = (await this.ask('stop')) as { nodeRssKB: number; chromiumHwmKB: number; chromiumRssKB: number }
    const status = readFileSync('/proc/self/status', 'utf8')
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
    return { nodePeakMB: Math.round(Math.max(hwm, sampled.nodeRssKB) / 1024), chromiumPeakMB: Math.round(sampled.chromiumHwmKB / 1024), chromiumConcurrentMB: Math.round(sampled.chromiumRssKB / 1024) }
  }

  async close(): Promise<void> {
    await this.worker?.terminate()
    this.worker = undefined
  }

  private ask(message: string): Promise<unknown> {
    const worker = this.worker!
    return new Promise((resolve) => {
      worker.once('message', resolve)
      worker.postMessage(message)
    })
  }
}

/** The sampling worker, as plain JavaScript (a worker does not go through tsx's loader). */
const SAMPLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const kb = (text, key) => Number(new RegExp(key + ':\\\\s+(\\\\d+)').exec(text)?.[1] ?? 0)
const read = (file) => { try { return fs.readFileSync(file, 'utf8') } catch { return '' } }
let state
function sample() {
  if (!state) return
  const children = new Map()
  const names = new Map()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(name)) continue
    const stat = read('/proc/' + name + '/stat')
    const close = stat.lastIndexOf(')')
    if (close < 0) continue
    const pid = Number(name)
    const ppid = Number(stat.slice(close + 2).split(' ')[1])
    names.set(pid, stat.slice(stat.indexOf('(') + 1, close))
    if (!children.has(ppid)) children.set(ppid, [])
    children.get(ppid).push(pid)
  }
  let rss = 0
  const walk = (pid, inChromium) => {
    for (const child of children.get(pid) ?? []) {
      const chromium = inChromium || /chrom/i.test(names.get(child))
      if (chromium) {
        const status = read('/proc/' + child + '/status')
        rss += kb(status, 'VmRSS')
        state.hwm.set(child, Math.max(state.hwm.get(child) ?? 0, kb(status, 'VmHWM')))
      }
      walk(child, chromium)
    }
  }
  walk(workerData.pid, false)
  state.chromiumRss = Math.max(state.chromiumRss, rss)
  state.nodeRss = Math.max(state.nodeRss, kb(read('/proc/self/status'), 'VmRSS'))
}
setInterval(sample, workerData.interval)
parentPort.on('message', (message) => {
  if (message === 'start') {
    state = { hwm: new Map(), chromiumRss: 0, nodeRss: 0 }
    sample()
    parentPort.postMessage('started')
  } else if (message === 'stop') {
    sample()
    let hwm = 0
    for (const value of state.hwm.values()) hwm += value
    parentPort.postMessage({ nodeRssKB: state.nodeRss, chromiumHwmKB: hwm, chromiumRssKB: state.chromiumRss })
    state = undefined
  }
})
`

/**
 * Copy a book (its config, chapters and figures) to `dest`. The config's
 * templates, styles and relative font paths are rewritten to absolute paths
 * into the original, so the copy builds the same.
 */
async function copyBook(source: string, dest: string): Promise<string> {
  await fs.mkdir(dest, { recursive: true })
  await fs.cp(path.join(source, 'chapters'), path.join(dest, 'chapters'), { recursive: true })
  await fs.cp(path.join(source, 'figures'), path.join(dest, 'figures'), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  const configFile = path.join(dest, 'chapters', 'book.yaml')
  const document = YAML.parseDocument(await fs.readFile(configFile, 'utf8'))
  for (const key of ['templates', 'styles']) document.set(key, path.resolve(source, String(document.get(key) ?? key)))
  for (const key of ['regular', 'bold']) {
    const value = document.getIn(['fonts', key])
    if (typeof value === 'string' && value.startsWith('.')) document.setIn(['fonts', key], path.resolve(source, value))
  }
  await fs.writeFile(configFile, document.toString())
  return dest
}

/**
 * A copy of the book whose chapters are the book's chapters `times` times
 * over: every figure and table id (and every @reference to it) gets a suffix
 * per copy, chapter files are renamed so that their ids stay unique, and parts
 * are renumbered 一, 二, … 十六.
 */
async function repeatBook(source: string, dest: string, times: number): Promise<string> {
  await copyBook(source, dest)
  const configFile = path.join(dest, 'chapters', 'book.yaml')
  const document = YAML.parseDocument(await fs.readFile(configFile, 'utf8'))
  const chapters = (document.get('chapters') as YAML.YAMLSeq).toJSON() as string[]
  const texts = await Promise.all(chapters.map((name) => fs.readFile(path.join(dest, 'chapters', name), 'utf8')))
  const names: string[] = []
  let part = 0
  for (let copy = 1; copy <= times; copy++) {
    const suffix = copy === 1 ? '' : `-x${copy}`
    for (const [index, name] of chapters.entries()) {
      let text = texts[index]!.replace(/\{#([A-Za-z][\w-]*)/g, (_, id: string) => `{#${id}${suffix}`).replace(REFERENCE, (match, id: string) => match.replace(id, `${id}${suffix}`))
      text = text.replace(/^(---\r?\n[\s\S]*?^)numeral:[^\r\n]*/m, (_, head: string) => `${head}numeral: ${chineseNumeral(++part)}`)
      const file = copy === 1 ? name : name.replace(/\.md$/, `${suffix}.md`)
      await fs.mkdir(path.dirname(path.join(dest, 'chapters', file)), { recursive: true })
      await fs.writeFile(path.join(dest, 'chapters', file), text)
      names.push(file)
    }
  }
  document.set('chapters', names)
  await fs.writeFile(configFile, document.toString())
  return dest
}

/** The first part chapter of the book (else its first chapter). */
async function editableChapter(root: string): Promise<string> {
  const config = YAML.parse(await fs.readFile(path.join(root, 'chapters', 'book.yaml'), 'utf8')) as { chapters: string[] }
  for (const name of config.chapters) {
    const file = path.join(root, 'chapters', name)
    if (/^kind:\s*part\b/m.test(await fs.readFile(file, 'utf8'))) return file
  }
  return path.join(root, 'chapters', config.chapters[0]!)
}

/** A few words from the chapter's first paragraph, so that an edit adds no character the font subset lacks. */
function sampleText(markdown: string): string {
  const body = markdown.replace(/^---[\s\S]*?\n---\n/, '')
  const paragraph = body.split('\n').find((line) => line.trim() && !/^[#:|>\-*\d`!\[<]/.test(line.trim())) ?? '正文'
  return [...paragraph].filter((ch) => /\p{Script=Han}/u.test(ch)).slice(0, 12).join('') || '正文'
}

/** The book's first CSV data file, in name order. */
async function editableData(root: string): Promise<string> {
  const dir = path.join(root, 'figures', 'data')
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.csv')).sort()
  const name = files[0]
  if (!name) throw new Error(`No CSV data file in ${dir} to edit`)
  return path.join(dir, name)
}

/** The first number in a CSV's rows (as bumpFirstNumber writes it). */
function firstNumber(csv: string): string {
  for (const row of csv.split('\n').slice(1)) {
    const cell = row.split(',').slice(1).find((c) => /^-?\d+(\.\d+)?$/.test(c.trim()))
    if (cell) return cell.trim()
  }
  throw new Error('No number in the CSV data file')
}

/** The site page (file stem) a chapter becomes: part-N by its order among parts, else its slug. */
async function pageOfChapter(root: string, chapterFile: string): Promise<string | undefined> {
  const config = YAML.parse(await fs.readFile(path.join(root, 'chapters', 'book.yaml'), 'utf8')) as { chapters: string[] }
  let part = 0
  for (const name of config.chapters) {
    const text = await fs.readFile(path.join(root, 'chapters', name), 'utf8')
    if (/^kind:\s*part\s*$/m.test(text)) part++
    if (path.join(root, 'chapters', name) === chapterFile) return /^kind:\s*part\s*$/m.test(text) ? `part-${part}` : undefined
  }
  return undefined
}

/** Site pages whose chapters embed a figure that reads `dataFile` (relative to figures/). */
async function pagesUsingData(root: string, dataFile: string): Promise<string[]> {
  const figures = path.join(root, 'figures')
  const specs = (await fs.readdir(figures)).filter((name) => name.endsWith('.vl.json'))
  const using: string[] = []
  for (const spec of specs) if ((await fs.readFile(path.join(figures, spec), 'utf8')).includes(dataFile)) using.push(spec)
  const config = YAML.parse(await fs.readFile(path.join(root, 'chapters', 'book.yaml'), 'utf8')) as { chapters: string[] }
  const pages: string[] = []
  for (const name of config.chapters) {
    const text = await fs.readFile(path.join(root, 'chapters', name), 'utf8')
    if (using.some((spec) => text.includes(`spec="${spec}"`))) pages.push(`${await pageOfChapter(root, path.join(root, 'chapters', name))}.html`)
  }
  return pages
}

/** Add `delta` to the first value (not the label column) of a CSV's rows. */
function bumpFirstNumber(csv: string, delta: number): string {
  const lines = csv.split('\n')
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',')
    // A value, not the row's label (the first column: a year, a region).
    const at = cells.findIndex((c, column) => column > 0 && /^-?\d+(\.\d+)?$/.test(c.trim()))
    if (at < 0) continue
    const value = cells[at]!.trim()
    const decimals = value.split('.')[1]?.length ?? 0
    cells[at] = (Number(value) + delta).toFixed(decimals)
    lines[i] = cells.join(',')
    return lines.join('\n')
  }
  throw new Error('No number to change in the CSV data file')
}

/**
 * Peak RSS of a cold `build` run through the CLI in a process of its own,
 * as `npm run build` runs it (the compiled engine; under tsx when the bench
 * itself runs from TypeScript). The CLI reports it with --verbose.
 */
async function cliPeakMB(bookRoot: string, outDir: string): Promise<number> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-bench-cli-'))
  try {
    await fs.cp(bookRoot, root, { recursive: true, filter: (src) => !/[\\/](dist|\.cache)$/.test(src) })
    const compiled = import.meta.filename.endsWith('.js')
    const cli = path.join(import.meta.dirname, compiled ? 'cli.js' : 'cli.ts')
    const args = [...(compiled ? [] : ['--import', 'tsx']), cli, 'build', '--root', root, '--out', outDir, '--verbose']
    const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 })
    const match = /peak RSS (\d+) MB/.exec(stdout)
    if (!match) throw new Error(`The CLI did not report its peak memory:\n${stdout}`)
    return Number(match[1])
  } finally {
    await fs.rm(root, { recursive: true, force: true })
  }
}

async function bookFacts(root: string): Promise<{ summary: { chapters: number; figures: number; tables: number } }> {
  const config = YAML.parse(await fs.readFile(path.join(root, 'chapters', 'book.yaml'), 'utf8')) as { chapters: string[] }
  const texts = await Promise.all(config.chapters.map((name) => fs.readFile(path.join(root, 'chapters', name), 'utf8')))
  const count = (re: RegExp) => texts.reduce((n, t) => n + (t.match(re)?.length ?? 0), 0)
  return { summary: { chapters: config.chapters.length, figures: count(/^::figure\[/gm), tables: count(/^:::table\[/gm) } }
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 }
}

function medianStages(runs: Run[]): Record<string, number> {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.stages ?? {})))]
  return Object.fromEntries(names.map((name) => [name, stats(runs.map((r) => r.stages?.[name] ?? 0)).median]))
}

/** The tables the CLI prints. */
export function formatResult(result: BenchResult): string {
  const s = (ms: number) => (ms / 1000).toFixed(2)
  const chromium = (runs: Run[]) => {
    const peak = Math.max(...runs.map((r) => r.chromiumPeakMB))
    return peak ? `${peak} / ${Math.max(...runs.map((r) => r.chromiumConcurrentMB))}` : '–'
  }
  const rows: string[][] = [['case', 'runs', 'median s', 'min s', 'max s', '× floor', 'Node MB', 'Chromium MB']]
  rows.push(['floor: Chromium launch + load + 1 page.pdf()', String(result.floor.runs.length), s(result.floor.median), s(result.floor.min), s(result.floor.max), '1.00', String(Math.max(...result.floor.runs.map((r) => r.nodePeakMB))), chromium(result.floor.runs)])
  for (const c of result.cases) {
    rows.push([c.label, String(c.runs.length), s(c.median), s(c.min), s(c.max), c.floorRatio === undefined ? '–' : c.floorRatio.toFixed(2), String(c.nodePeakMB), chromium(c.runs)])
  }
  const lines = [table(rows, [false, true, true, true, true, true, true, true])]
  const notes = result.cases.filter((c) => c.note).map((c) => `  ${c.name}: ${c.note}`)
  const floor = result.floor.parts
  lines.push(
    '  Node MB: peak RSS of this process during the case (kernel high-water mark, reset per run). Chromium MB: sum of its processes\' peak RSS / largest sum of RSS in one 100 ms sample.',
    `  floor parts (median s): launch ${s(floor.launch!)}, load ${s(floor.load!)}, page.pdf() ${s(floor.pdf!)}, close ${s(floor.close!)}; ${result.floor.pages} pages, ${result.floor.chromium}`,
    ...notes,
    '',
  )

  const stageNames = ['config', 'parse', 'collect', 'figures', 'styles', 'site', 'pdf', 'pdf: pass 1', 'pdf: pass 2', 'pdf: verify', 'write']
  const stageRows: string[][] = [['where time goes (median s)', ...stageNames.map((n) => n.replace('pdf: ', ''))]]
  for (const c of result.cases) stageRows.push([c.name, ...stageNames.map((n) => (c.stages[n] === undefined ? '–' : s(c.stages[n]!)))])
  lines.push(table(stageRows, [false, ...stageNames.map(() => true)]), '  (pass 1/pass 2/verify are inside pdf; a pass is print + read back, and pass 1 includes launching Chromium)', '')

  const targetRows: string[][] = [['target', 'value', 'limit', 'result']]
  for (const t of result.targets) targetRows.push([t.label, `${['MB', 'ms', '%'].includes(t.unit) ? Math.round(t.value) : t.value.toFixed(2)} ${t.unit}`, `${t.limit} ${t.unit}`, t.pass ? 'pass' : 'FAIL'])
  lines.push(table(targetRows, [false, true, true, false]))
  lines.push('', `${result.machine.cpus} × ${result.machine.cpuModel}; load average ${result.machine.loadAverage.start.map((l) => l.toFixed(1)).join(' ')} at start, ${result.machine.loadAverage.end.map((l) => l.toFixed(1)).join(' ')} at end; ${result.totalSeconds.toFixed(0)} s in all`)
  return lines.join('\n')
}

function table(rows: string[][], right: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)))
  const line = (r: string[]) => r.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

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
    console.log('Usage: npm run bench [-- --root DIR] [--runs 5] [--big-runs 3] [--scale 4] [--json FILE] [--quick]\n  Measures the build against the floor of Chromium printing and writes dist/bench.json.\n  --quick (or BENCH_QUICK=1): one run per case and no warm-ups, for a smoke test.')
    return
  }
  const result = await runBench({
    root: values.root,
    runs: values.runs ? Number(values.runs) : undefined,
    bigRuns: values['big-runs'] ? Number(values['big-runs']) : undefined,
    scale: values.scale ? Number(values.scale) : undefined,
    json: values.json,
    quick: values.quick,
    log: (line) => console.error(line),
  })
  console.log(`\n${formatResult(result)}`)
  console.log(`\nwrote ${path.relative(process.cwd(), path.resolve(values.json ?? path.join(result.book.root, 'dist', 'bench.json')))}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
