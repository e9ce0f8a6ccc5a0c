/** The build cases: the first build, the floor, cold, warm and full-PDF builds, and the repeated book. */
import fs from 'node:fs/promises'
import path from 'node:path'
import { findBrowser } from '../../build/index.ts'
import { clearPdfCache, measureBuild, schedule, withFreshCache, type BenchContext } from './cases.ts'
import { measureFloor } from './floor.ts'
import { stats, type CaseResult, type FloorResult, type Run } from './results.ts'

export interface BuildCases {
  /** The first build of the process (cold cache, PDF). */
  first: Run
  floor: FloorResult
  /** Builds on the unchanged book, by case name. */
  fullPdf: CaseResult
  big: CaseResult
  cold: CaseResult
  warm: CaseResult
  /** The cache the first build filled: warm figures, page numbers and font subsets. */
  warmCache: string
}

/**
 * The first build of the process also loads modules and fonts: it is the
 * warm-up of the cold case, fills the warm cache, and gives the floor its
 * document. Then the floor and the builds that print run side by side.
 */
export async function runBuildCases(context: BenchContext, book: string, bigBook: string): Promise<BuildCases> {
  const warmCache = await context.temp('cache-warm')
  const firstOut = await context.temp('out-first')
  const [firstCase] = await schedule(context, [
    {
      name: 'first',
      label: 'first build in a fresh process (cold cache, PDF)',
      pdf: true,
      count: 1,
      run: () => measureBuild(context.sampler, book, { outDir: firstOut, cacheDir: warmCache, pdf: true }),
    },
  ])
  const first = firstCase!.runs[0]!
  const version = { chromium: '' }
  const specs = await printCases(context, { book, bigBook, first, warmCache, firstOut, version })
  const [floorCase, cold, warm, fullPdf, big] = await schedule(context, specs)
  const pages = (result: CaseResult) => result.runs[0]?.pages ?? 0
  const growth = (big!.median / fullPdf!.median).toFixed(2)
  big!.note = `${pages(big!)} pages (×1: ${pages(fullPdf!)}); ×${context.scale} ÷ ×1 = ${growth}`
  const floor: FloorResult = {
    median: floorCase!.median,
    min: floorCase!.min,
    max: floorCase!.max,
    runs: floorCase!.runs,
    parts: Object.fromEntries(
      ['launch', 'load', 'pdf', 'close'].map((part) => [
        part,
        stats(floorCase!.runs.map((r) => r.parts?.[part] ?? 0)).median,
      ]),
    ),
    pages: first.pages ?? 0,
    chromium: version.chromium,
  }
  return { first, floor, fullPdf: fullPdf!, big: big!, cold: cold!, warm: warm!, warmCache }
}

interface PrintCaseInputs {
  book: string
  bigBook: string
  first: Run
  warmCache: string
  firstOut: string
  version: { chromium: string }
}

/** The floor, cold, warm, full-PDF and repeated-book cases, in that order. */
async function printCases(context: BenchContext, inputs: PrintCaseInputs) {
  const { book, bigBook, first, warmCache, firstOut, version } = inputs
  const { sampler, scale } = context
  // The floor is measured with the browser the builds print with: discovery gives both the same one.
  const executable = await findBrowser()
  context.log(`browser: ${executable.executablePath} (${executable.source})`)
  const htmlFile = path.join(firstOut, 'whitepaper.html')
  // The repeated book: the same conditions as the full PDF case (warm figures, last build's page numbers, no PDF
  // cache). Its warm-up renders no figure (the figure cache is shared) but leaves the page numbers and font subsets
  // that its runs reuse, as the first build did for ×1.
  const bigCache = await context.temp('cache-big')
  await fs
    .cp(path.join(warmCache, 'figures'), path.join(bigCache, 'figures'), { recursive: true })
    .catch(() => undefined)
  const [coldOut, warmOut, pdfOut, bigOut] = await Promise.all(
    ['out-cold', 'out-warm', 'out-pdf', 'out-big'].map(context.temp),
  )
  const build = (root: string, outDir: string, cacheDir: string) =>
    measureBuild(sampler, root, { outDir, cacheDir, pdf: true })
  return [
    {
      name: 'floor',
      label: 'floor (launch + load + page.pdf() + close)',
      pdf: true,
      warmup: true,
      run: () => measureFloor(htmlFile, executable, sampler, version),
    },
    {
      name: 'cold',
      label: 'cold build (fresh cache, PDF)',
      pdf: true,
      reuse: context.quick ? [first] : undefined,
      run: () => withFreshCache(context, (cacheDir) => build(book, coldOut!, cacheDir)),
    },
    {
      name: 'warm',
      label: 'warm no-change build (PDF)',
      pdf: true,
      warmup: true,
      run: () => build(book, warmOut!, warmCache),
    },
    {
      name: 'pdf',
      label: 'full PDF (warm figures, PDF cache cleared)',
      pdf: true,
      // The first build left the page numbers that pass 1 reuses: no warm-up needed.
      run: async () => {
        await clearPdfCache(warmCache)
        return build(book, pdfOut!, warmCache)
      },
    },
    {
      name: `pdf-x${scale}`,
      label: `full PDF, book ×${scale} (warm figures, PDF cache cleared)`,
      pdf: true,
      count: context.bigRuns,
      warmup: true,
      run: async () => {
        await clearPdfCache(bigCache)
        return build(bigBook, bigOut!, bigCache)
      },
    },
  ]
}
