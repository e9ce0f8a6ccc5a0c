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
import type { Pass, Printer as PrinterType } from './print.ts'
import { copyfitPlan, refinePlan, samePlan, type CopyfitPlan, type Fit } from './copyfit.ts'
import type { PdfReadback } from './readback.ts'
import type { LayoutRequest, LayoutResult } from './layout/verify.ts'

/** Bump when the print pipeline (printing, finishing, conform/, copyfit) changes in a way that changes the PDF. */
const PRINT_VERSION = '7'

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
  /**
   * Names what the copyfit plan depends on apart from the chapters (the print stylesheet, the templates, the fonts): the
   * last build's plan is tried first only when it is the same.
   */
  fitKey: string
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

/** What `.cache/page-numbers.json` keeps of the last print: its index numbers and its copyfit plan. */
interface LastPrint {
  numbers: Record<string, string>
  fit: { section: string; leading: number; tracking: number }[]
  /** The `fitKey` the plan was made under; a plan made under another is not tried. */
  fitKey: string
}

/**
 * Print the book into the staging folder. An unchanged print document reuses the cached PDF without starting Chromium.
 */
export async function printPdf(input: PdfStageInput): Promise<PdfStageResult> {
  const { model, html, staging, cacheDir } = input
  const htmlFile = path.join(staging, 'whitepaper.html')
  const pdfFile = path.join(staging, 'whitepaper.pdf')
  const numbersFile = path.join(cacheDir, 'page-numbers.json')
  const last = await readJson<Partial<LastPrint>>(numbersFile)
  const previousNumbers = new Map(Object.entries(last?.numbers ?? {}))
  // The last plan, for the chapters and sections the book still has, unless the stylesheet or templates changed since.
  const sections = new Set(model.chapters.flatMap((chapter) => [chapter.id, ...chapter.sections.map((s) => s.id)]))
  const previousFit: CopyfitPlan = new Map(
    last?.fitKey === input.fitKey
      ? (last.fit ?? []).filter((f) => sections.has(f.section)).map((f) => [f.section, fitOf(f)])
      : [],
  )
  // Another browser, or another version of it, prints other bytes: its PDF is not this one's.
  const browser = await input.browser.identity()
  const cacheKey = (numbers: Map<string, string>, fit: CopyfitPlan) =>
    createHash('sha256')
      .update(PRINT_VERSION)
      .update(browser)
      .update(html(numbers, fit))
      .update(input.fontKey)
      .update(JSON.stringify(input.metadata))
      .digest('hex')

  const key = cacheKey(previousNumbers, previousFit)
  const cachedPdf = await fs.readFile(path.join(cacheDir, 'pdf', `${key}.pdf`)).catch(() => undefined)
  if (cachedPdf && model.body.length > 0) {
    await writePdf(pdfFile, staging, cachedPdf)
    const pages = cachedPdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0
    const layoutFile = path.join(cacheDir, 'pdf', `${key}.layout.json`)
    const cachedLayout = await readJson<LayoutResult>(layoutFile)
    const layout =
      cachedLayout ?? (await checkPrinted(cachedPdf, await (await import('./readback.ts')).readPdf(cachedPdf), input))
    if (!cachedLayout) await writeAtomic(layoutFile, JSON.stringify(layout))
    await fs.writeFile(htmlFile, html(previousNumbers, previousFit))
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

  const printer = await newPrinter(input, htmlFile, previousNumbers)
  let final: Checked & { pdf: Uint8Array }
  try {
    final = await printFitted(printer, input, previousNumbers, previousFit)
  } finally {
    await printer.close()
  }
  const { pdf, pass, layout, fit } = final
  await fs.writeFile(htmlFile, pass.html)
  await writePdf(pdfFile, staging, pdf)
  await fs.mkdir(path.join(cacheDir, 'pdf'), { recursive: true })
  // Keyed by the numbers and plan this print settled on: the next build starts from them, and finds this PDF.
  const finalKey = cacheKey(pass.printed, fit)
  await writeAtomic(path.join(cacheDir, 'pdf', `${finalKey}.pdf`), pdf)
  await writeAtomic(path.join(cacheDir, 'pdf', `${finalKey}.layout.json`), JSON.stringify(layout))
  await pruneOldest(path.join(cacheDir, 'pdf'), PDF_CACHE_ENTRIES * 2)
  const record: LastPrint = {
    numbers: Object.fromEntries(pass.printed),
    fit: [...fit].map(([section, f]) => ({ section, ...f })),
    fitKey: input.fitKey,
  }
  await writeAtomic(numbersFile, JSON.stringify(record, null, 1))
  return {
    file: pdfFile,
    pages: pass.readback.pages.length,
    passes: printer.passes,
    reused: false,
    bytes: pdf.length,
    layout: reportLayout(layout, input),
  }
}

/**
 * A printer for the book, its index entries being those the print document lists. What checks a pass (pdf-lib, the
 * layout check) starts loading now, while Chromium prints the first pass and Node would only wait.
 */
async function newPrinter(input: PdfStageInput, htmlFile: string, numbers: Map<string, string>): Promise<PrinterType> {
  void Promise.all([import('./conform/index.ts'), import('./layout/verify.ts')]).catch(() => undefined)
  const { Printer } = await import('./print.ts')
  return new Printer({
    htmlFile,
    allowedDir: input.staging,
    entries: indexEntries(input.model, input.html(numbers)),
    firstBodyId: input.model.body[0]!.id,
    write: (file, data) => fs.writeFile(file, data),
    getBrowser: input.browser.get,
    restartBrowser: input.browser.restart,
    onPass: (pass, ms) => input.onStep?.(`pass ${pass}`, ms),
    onVerify: (ms) => input.onStep?.('verify', ms),
    timeout: input.timeout,
  })
}

/** A print pass, finished, with its layout check and the copyfit plan it was printed with. */
interface Checked {
  pass: Pass
  /** The PDF conformed to PDF/UA and PDF/A: made for the pass the print settles on only. */
  conformed: () => Promise<Uint8Array>
  layout: LayoutResult
  fit: CopyfitPlan
}

/**
 * The print budget: the page-number passes, and at most one more for copyfit. Pass 1 prints with the last build's
 * numbers and plan. When its layout check asks for a tighter plan, one pass tries it (with pass 1's numbers, edited
 * into the loaded page); it is kept if it has fewer findings. The kept document is then reprinted only if its numbers
 * moved.
 */
async function printFitted(
  printer: PrinterType,
  input: PdfStageInput,
  numbers: Map<string, string>,
  startFit: CopyfitPlan,
): Promise<Checked & { pdf: Uint8Array }> {
  const document = (fit: CopyfitPlan) => (n: Map<string, string>) => input.html(n, fit)
  const first = await checkPass(printer, input, await printer.print(document(startFit)(numbers), numbers), startFit)
  const plan = refinePlan(startFit, copyfitPlan(first.layout.findings, first.pass.readback, input.model))
  let kept = first
  if (!samePlan(plan, startFit)) {
    const tried = await printer.print(document(plan)(first.pass.found), first.pass.found)
    const fitted = await checkPass(printer, input, tried, plan)
    if (fitted.layout.findings.length < first.layout.findings.length) kept = fitted
  }
  const settled = await printer.settle(kept.pass, document(kept.fit))
  const final = settled === kept.pass ? kept : await checkPass(printer, input, settled, kept.fit)
  printer.verify(final.pass)
  const copyfit = final.fit.size > 0 ? describePlan(final.fit, input.model) : undefined
  return { ...final, layout: { ...final.layout, copyfit }, pdf: await final.conformed() }
}

/**
 * Finish a pass's PDF and check its layout. The check reads Chromium's own structure tree, which conforming only
 * repairs (the same findings either way, on every fixture book), so a pass that is not kept is never conformed.
 */
async function checkPass(printer: PrinterType, input: PdfStageInput, pass: Pass, fit: CopyfitPlan): Promise<Checked> {
  const { model } = input
  if (printer.blocked.length > 0) {
    const diagnostics = new Diagnostics()
    for (const url of new Set(printer.blocked)) {
      const message =
        `The print document tried to load ${url}, which is not one of the build's own files, so the ` +
        `request was blocked (the PDF may load nothing from the network or elsewhere on disk). Remove it from the ` +
        `templates or styles; the book's output must be self-contained`
      diagnostics.error('whitepaper.html', message, 'print:network')
    }
    diagnostics.throwIfErrors()
  }
  const { pages, destinations } = pass.readback
  const last = pages.length - 1
  const finished = finishPdf(pass.pdf, input.metadata, {
    firstBody: destinations.get(model.body[0]!.id)!,
    // A last page without a printed number (a back cover) gets no number in the viewer either.
    backCover: pages[last]!.footer === '' ? last : undefined,
  })
  const conformed = async () => {
    const { conformPdf } = await import('./conform/index.ts')
    const conforming = performance.now()
    const markedText = pages.map((page) => page.markedText)
    const pdf = await conformPdf(finished, { language: input.language, markedText })
    input.onStep?.('conform', performance.now() - conforming)
    return pdf
  }
  return { pass, conformed, fit, layout: await checkPrinted(finished, pass.readback, input) }
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

/** A plan entry as kept in the cache, checked: anything else is no fit. */
function fitOf(fit: { leading?: unknown; tracking?: unknown }): Fit {
  const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback)
  return { leading: number(fit.leading, 1), tracking: number(fit.tracking, 0) }
}

/** The PDF beside the print document, and a copy in the site for its download link. */
async function writePdf(pdfFile: string, staging: string, pdf: Uint8Array): Promise<void> {
  await fs.writeFile(pdfFile, pdf)
  await fs.copyFile(pdfFile, path.join(staging, 'site', 'whitepaper.pdf'))
}
