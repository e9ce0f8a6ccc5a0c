/**
 * The pdf stage: print the book (or reuse an identical earlier print),
 * finish the PDF, and keep the page numbers for the next build's first pass.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import { BuildError, buildError, Diagnostics } from '../diagnostics.ts'
import type { BookModel } from '../collect/model.ts'
import { pruneOldest, readJson, writeAtomic } from '../write/files.ts'
import { finishPdf, type PdfMetadata } from './finish.ts'
import { indexEntries } from './document.ts'
import type { PrintResult } from './print.ts'
import { copyfitPlan, type CopyfitPlan } from './copyfit.ts'
import type { PdfReadback } from './readback.ts'
import type { LayoutRequest, LayoutResult } from './layout/verify.ts'

/** Bump when the print pipeline (printing, finishing, conform/, copyfit) changes in a way that changes the PDF. */
const PRINT_VERSION = '6'

/** How many printed PDFs `.cache/pdf` keeps (the newest). */
const PDF_CACHE_ENTRIES = 4

export interface PdfStageInput {
  model: BookModel
  /** The print document for given page numbers and copyfit plan; see `printDocument`. */
  html: (numbers: Map<string, string>, fit?: CopyfitPlan) => string
  metadata: PdfMetadata
  /** The book's language (BCP 47), for the PDF's /Lang and XMP. */
  language: string
  /** Names the font files the print document loads, for the cache key. */
  fontKey: string
  /** Where `whitepaper.html` and `whitepaper.pdf` go; its `site/` gets a copy of the PDF. */
  staging: string
  cacheDir: string
  browser: { get: () => Promise<Browser>; restart: () => Promise<Browser>; identity: () => Promise<string> }
  /** Milliseconds before a print attempt is abandoned. */
  timeout: number
  onStep?: (step: string, ms: number) => void
  /** The layout check of the final PDF. */
  layout: LayoutRequest
}

export interface PdfStageResult {
  file: string
  pages: number
  passes: number
  reused: boolean
  bytes: number
  /** What the layout check found (in strict mode, findings fail the build instead). */
  layout: LayoutResult
}

/**
 * Print the book into the staging folder. An unchanged print document reuses the cached PDF without starting Chromium.
 */
export async function printPdf(input: PdfStageInput): Promise<PdfStageResult> {
  const { model, html, staging, cacheDir } = input
  const htmlFile = path.join(staging, 'whitepaper.html')
  const pdfFile = path.join(staging, 'whitepaper.pdf')
  const numbersFile = path.join(cacheDir, 'page-numbers.json')
  const previousNumbers = new Map(Object.entries((await readJson<Record<string, string>>(numbersFile)) ?? {}))
  // Another browser, or another version of it, prints other bytes: its PDF is not this one's.
  const browser = await input.browser.identity()
  const cacheKey = (numbers: Map<string, string>) =>
    createHash('sha256')
      .update(PRINT_VERSION)
      .update(browser)
      .update(html(numbers))
      .update(input.fontKey)
      .update(JSON.stringify(input.metadata))
      .digest('hex')

  const cachedPdf = await fs
    .readFile(path.join(cacheDir, 'pdf', `${cacheKey(previousNumbers)}.pdf`))
    .catch(() => undefined)
  if (cachedPdf && model.body.length > 0) {
    await writePdf(pdfFile, staging, cachedPdf)
    const pages = cachedPdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0
    const layoutFile = path.join(cacheDir, 'pdf', `${cacheKey(previousNumbers)}.layout.json`)
    const cachedLayout = await readJson<LayoutResult>(layoutFile)
    const layout =
      cachedLayout ?? (await checkPrinted(cachedPdf, await (await import('./readback.ts')).readPdf(cachedPdf), input))
    if (!cachedLayout) await writeAtomic(layoutFile, JSON.stringify(layout))
    await fs.writeFile(htmlFile, html(previousNumbers, planOf(layout)))
    return {
      file: pdfFile,
      pages,
      passes: 0,
      reused: true,
      bytes: cachedPdf.length,
      layout: reportLayout(layout, input),
    }
  }
  if (model.body.length === 0) {
    throw buildError(
      'chapters',
      'The book has only front matter (`kind: front`), so it has no body pages to number; make at least one ' +
        'chapter a plain chapter (no `kind`), a part or an appendix',
      'print:no-body',
    )
  }

  const print = (fit: CopyfitPlan, numbers: Map<string, string>) => printChecked(input, fit, numbers, htmlFile)
  const first = await print(new Map(), previousNumbers)
  let final = first
  // Copyfit: one more print when a section runs a few lines onto a page of their own; kept if it is better.
  const plan = copyfitPlan(first.layout.findings, first.result.readback, model)
  if (plan.size > 0) {
    const fitted = await print(plan, first.result.numbers)
    if (fitted.layout.findings.length < first.layout.findings.length)
      final = { ...fitted, layout: { ...fitted.layout, copyfit: describePlan(plan, model) } }
  }
  if (plan.size > 0) await fs.writeFile(htmlFile, html(final.result.numbers, final === first ? new Map() : plan))
  const { pdf, result, layout } = final
  const { pages } = result.readback
  await writePdf(pdfFile, staging, pdf)
  await fs.mkdir(path.join(cacheDir, 'pdf'), { recursive: true })
  // Keyed by the unfitted print's numbers: the next build starts from them, and finds this PDF.
  const key = cacheKey(first.result.numbers)
  await writeAtomic(path.join(cacheDir, 'pdf', `${key}.pdf`), pdf)
  await writeAtomic(path.join(cacheDir, 'pdf', `${key}.layout.json`), JSON.stringify(layout))
  await pruneOldest(path.join(cacheDir, 'pdf'), PDF_CACHE_ENTRIES * 2)
  await writeAtomic(numbersFile, JSON.stringify(Object.fromEntries(first.result.numbers), null, 1))
  return {
    file: pdfFile,
    pages: pages.length,
    passes: first.result.passes + (final === first ? 0 : result.passes),
    reused: false,
    bytes: pdf.length,
    layout: reportLayout(layout, input),
  }
}

/** Print with a copyfit plan, finish the PDF and check its layout. */
async function printChecked(
  input: PdfStageInput,
  fit: CopyfitPlan,
  numbers: Map<string, string>,
  htmlFile: string,
): Promise<{ result: PrintResult; pdf: Uint8Array; layout: LayoutResult }> {
  // Loaded only to print: pdf.js (the read-back) and pdf-lib, which a build reusing its PDF never needs.
  const [{ printBook }, { conformPdf }] = await Promise.all([import('./print.ts'), import('./conform/index.ts')])
  const { model, staging } = input
  const result = await printBook({
    html: (n) => input.html(n, fit),
    htmlFile,
    allowedDir: staging,
    entries: indexEntries(model, input.html(numbers, fit)),
    firstBodyId: model.body[0]!.id,
    previousNumbers: numbers,
    write: (file, data) => fs.writeFile(file, data),
    getBrowser: input.browser.get,
    restartBrowser: input.browser.restart,
    onPass: (pass, ms) => input.onStep?.(`${fit.size ? 'copyfit ' : ''}pass ${pass}`, ms),
    onVerify: (ms) => input.onStep?.('verify', ms),
    timeout: input.timeout,
  })
  if (result.blocked.length > 0) {
    const diagnostics = new Diagnostics()
    for (const url of new Set(result.blocked)) {
      const message =
        `The print document tried to load ${url}, which is not one of the build's own files, so the ` +
        `request was blocked (the PDF may load nothing from the network or elsewhere on disk). Remove it from the ` +
        `templates or styles; the book's output must be self-contained`
      diagnostics.error('whitepaper.html', message, 'print:network')
    }
    diagnostics.throwIfErrors()
  }
  const { pages, destinations } = result.readback
  const last = pages.length - 1
  const finished = finishPdf(result.pdf, input.metadata, {
    firstBody: destinations.get(model.body[0]!.id)!,
    // A last page without a printed number (a back cover) gets no number in the viewer either.
    backCover: pages[last]!.footer === '' ? last : undefined,
  })
  const conforming = performance.now()
  const pdf = await conformPdf(finished, {
    language: input.language,
    markedText: pages.map((page) => page.markedText),
  })
  input.onStep?.('conform', performance.now() - conforming)
  return { result, pdf, layout: await checkPrinted(pdf, result.readback, input) }
}

/** What copyfit did, kept with the layout record (and shown by `--verbose`). */
function describePlan(plan: CopyfitPlan, model: BookModel): NonNullable<LayoutResult['copyfit']> {
  const titles = new Map(
    model.chapters.flatMap((part) => [[part.id, part.title], ...part.sections.map((s) => [s.id, s.title] as const)]),
  )
  return [...plan].map(([section, fit]) => ({ section, title: titles.get(section) ?? section, ...fit }))
}

/** The layout check of the final PDF, its findings as warnings. */
async function checkPrinted(pdf: Uint8Array, readback: PdfReadback, input: PdfStageInput): Promise<LayoutResult> {
  const started = performance.now()
  const { verifyLayout } = await import('./layout/verify.ts')
  const result = await verifyLayout(pdf, readback, input.model, { ...input.layout, strict: false })
  input.onStep?.('layout', performance.now() - started)
  return result
}

/** Findings as warnings, or in strict mode as errors that end the build. */
function reportLayout(result: LayoutResult, input: PdfStageInput): LayoutResult {
  if (!input.layout.strict) return result
  if (result.diagnostics.length > 0)
    throw new BuildError(result.diagnostics.map((d) => ({ ...d, severity: 'error' as const })))
  return result
}

/** The plan a cached print was made with, from its layout record. */
function planOf(layout: LayoutResult): CopyfitPlan {
  return new Map((layout.copyfit ?? []).map(({ section, leading, tracking }) => [section, { leading, tracking }]))
}

/** The PDF beside the print document, and a copy in the site for its download link. */
async function writePdf(pdfFile: string, staging: string, pdf: Uint8Array): Promise<void> {
  await fs.writeFile(pdfFile, pdf)
  await fs.copyFile(pdfFile, path.join(staging, 'site', 'whitepaper.pdf'))
}
