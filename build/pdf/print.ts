/**
 * Printing the book with Chromium, and proving its page numbers.
 *
 * The print document carries a fixed-width slot for every index entry's page
 * number. A pass prints with some numbers (the last build's, or blanks); the
 * PDF's named destinations tell on which page each target landed. If they
 * differ from what was printed, another pass prints with the right numbers.
 * The kept PDF is then read back and every entry is checked against the page
 * it links to and that page's footer number. Which passes to print (page
 * numbers, copyfit) is decided in stage.ts.
 */
import path from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'
import type { Browser, Page } from 'puppeteer-core'
import { BuildError, buildError, Diagnostics } from '../diagnostics.ts'
import { updateInPlace } from './live.ts'
import { readPdf, type PdfReadback } from './readback.ts'
import { NUMERAL_STYLES } from '../collect/numbering.ts'

/** How Chromium prints the book: the page size from the print CSS, backgrounds, a tagged PDF with an outline. */
export const PDF_OPTIONS = { preferCSSPageSize: true, printBackground: true, tagged: true, outline: true } as const

export interface IndexEntry {
  /** The target's element id, which Chromium uses as the named destination. */
  id: string
  /** Text that must appear on the target page (a heading or caption). */
  title: string
  /** The entry as printed in the index, without its number. */
  listed: string
}

export interface PrinterOptions {
  /** Where the print HTML is written; every file it loads must be inside `allowedDir`. */
  htmlFile: string
  allowedDir: string
  entries: IndexEntry[]
  /** The id whose page is body page 1. */
  firstBodyId: string
  /** Milliseconds before a print attempt is abandoned. */
  timeout?: number
  write: (file: string, data: string) => Promise<void>
  getBrowser: () => Promise<Browser>
  /** Called when the browser must be replaced after a crash or hang. */
  restartBrowser: () => Promise<Browser>
  /** Called after every print pass (print and read back), numbered from 1, with its milliseconds. */
  onPass?: (pass: number, ms: number) => void
  /** Called with the time the final check of every index entry took. */
  onVerify?: (ms: number) => void
}

/** One print pass: the PDF, what it reads back, and the page numbers its index should show. */
export interface Pass {
  html: string
  pdf: Uint8Array
  readback: PdfReadback
  /** The numbers the pass printed. */
  printed: Map<string, string>
  /** The numbers its targets landed on. */
  found: Map<string, string>
  /** Whether every printed number is the one found: then the pass can be verified and kept. */
  settled: boolean
}

/**
 * Prints the book pass after pass in one page: a pass edits its document into the one still loaded when only text,
 * attribute values or the stylesheet's text differ (see live.ts), else loads it afresh.
 */
export class Printer {
  readonly blocked: string[] = []
  passes = 0
  private loaded: Page | undefined

  constructor(private readonly options: PrinterOptions) {}

  /** Print `html`, which shows the index numbers `printed`, and read it back. */
  async print(html: string, printed: Map<string, string>): Promise<Pass> {
    const started = performance.now()
    this.passes++
    await this.options.write(this.options.htmlFile, html)
    const result = await printWithRetry(this.options, this.blocked, html, this.loaded)
    this.loaded = result.page
    const readback = await readPdf(result.pdf)
    this.options.onPass?.(this.passes, performance.now() - started)
    const found = pageNumbers(readback, this.options)
    const settled = [...found].every(([id, label]) => printed.get(id) === label)
    return { html, pdf: result.pdf, readback, printed, found, settled }
  }

  /** Fail unless every index entry of a settled pass shows its target's page, and that page shows the target. */
  verify(pass: Pass): void {
    const verifying = performance.now()
    verify(pass.readback, pass.printed, this.options)
    this.options.onVerify?.(performance.now() - verifying)
  }

  /**
   * Reprint `pass`'s document (`html` of its numbers) with the numbers it found until they hold. A document whose
   * numbers still move after three passes has number slots that change the layout: an error.
   */
  async settle(pass: Pass, html: (numbers: Map<string, string>) => string): Promise<Pass> {
    for (let reprints = 0; !pass.settled; reprints++) {
      if (reprints === 2) {
        const message =
          'Page numbers did not settle after 3 print passes: writing the numbers in moved the pages. Give the ' +
          'number slots in the print CSS a fixed width.'
        throw buildError(path.basename(this.options.htmlFile), message, 'print:unstable')
      }
      pass = await this.print(html(pass.found), pass.found)
    }
    return pass
  }

  async close(): Promise<void> {
    await this.loaded?.close().catch(() => undefined)
    this.loaded = undefined
  }
}

/** Body page label of every entry's target, from the PDF's named destinations. */
function pageNumbers(readback: PdfReadback, options: PrinterOptions): Map<string, string> {
  const first = readback.destinations.get(options.firstBodyId)
  const problems = new Diagnostics()
  const numbers = new Map<string, string>()
  for (const { id } of options.entries) {
    const index = readback.destinations.get(id)
    if (first === undefined || index === undefined) {
      problems.error(
        path.basename(options.htmlFile),
        `No link target \`${id}\` in the printed PDF; every index entry must link to an element with that id`,
        'print:missing-target',
      )
      continue
    }
    numbers.set(id, pageLabel(index, first))
  }
  problems.throwIfErrors()
  return numbers
}

/**
 * The number of a page as the book shows it: body pages 1, 2… from the first body page; the unnumbered pages before
 * it i, ii… from the cover, as the PDF's page labels have them (see finish.ts).
 */
export function pageLabel(index: number, firstBody: number): string {
  return index >= firstBody ? String(index - firstBody + 1) : NUMERAL_STYLES['lower-roman'](index + 1)
}

/**
 * Fail unless every index entry shows the number of the page where its target is, and that page shows the target's
 * text.
 */
function verify(
  readback: PdfReadback,
  numbers: Map<string, string>,
  options: Pick<PrinterOptions, 'entries' | 'firstBodyId' | 'htmlFile'>,
): void {
  // Dot leaders between an entry and its number are text too; runs of three or more dots are not part of any entry.
  const squash = (s: string) => s.replace(/\s+/g, '').replace(/\.{3,}/g, '')
  const first = readback.destinations.get(options.firstBodyId)!
  const indexText = squash(
    readback.pages
      .slice(0, first)
      .map((p) => p.text)
      .join(''),
  )
  const problems: string[] = []
  for (const entry of options.entries) {
    const number = numbers.get(entry.id)
    const index = readback.destinations.get(entry.id)
    if (index === undefined || number === undefined) {
      problems.push(`${entry.listed}: no link target`)
      continue
    }
    const page = readback.pages[index]!
    // Front pages print no number; their label is the PDF's page label (i, ii…), checked by `pageLabel`.
    if (index >= first && page.footer !== number)
      problems.push(
        `${entry.listed}: listed as page ${number}, but its target page shows “${page.footer}” in the footer`,
      )
    if (!squash(page.text).includes(squash(entry.title)))
      problems.push(`${entry.listed}: “${entry.title}” is not on page ${number}`)
    if (!indexText.includes(squash(entry.listed) + number))
      problems.push(`${entry.listed}: the index does not show page ${number}`)
  }
  const diagnostics = new Diagnostics()
  for (const message of problems)
    diagnostics.error(path.basename(options.htmlFile), `Index check failed: ${message}`, 'print:verify')
  diagnostics.throwIfErrors()
}

/** A printed pass, and the page that still holds its document. */
interface Printed {
  pdf: Uint8Array
  page: Page
}

async function printWithRetry(
  options: PrinterOptions,
  blocked: string[],
  html: string,
  loaded?: Page,
): Promise<Printed> {
  try {
    return await printOnce(await options.getBrowser(), options, blocked, html, loaded)
  } catch (error) {
    if (error instanceof BuildError) throw error
    const first = (error as Error).message.split('\n')[0]
    try {
      return await printOnce(await options.restartBrowser(), options, blocked, html)
    } catch (again) {
      if (again instanceof BuildError) throw again
      const message =
        `Chromium failed to print, twice (${first}; then ${(again as Error).message.split('\n')[0]}). ` +
        `Check that the machine has memory free, then build again; if printing is only slow, raise ` +
        `WHITEPAPER_PRINT_TIMEOUT (now ${options.timeout ?? 120_000} ms).`
      throw buildError(path.basename(options.htmlFile), message, 'print:chromium')
    }
  }
}

/** A page that may load only the build's own files; what it was refused goes to `blocked`. */
async function openPage(browser: Browser, options: PrinterOptions, blocked: string[]): Promise<Page> {
  const page = await browser.newPage()
  const allowed = path.resolve(options.allowedDir) + path.sep
  await page.setRequestInterception(true)
  page.on('request', (request) => {
    const url = request.url()
    let ok = false
    if (url.startsWith('file:')) ok = path.resolve(fileURLToPath(url)).startsWith(allowed)
    else if (url.startsWith('data:') || url === 'about:blank') ok = true
    if (ok) void request.continue()
    else {
      blocked.push(url)
      void request.abort('blockedbyclient')
    }
  })
  return page
}

/**
 * Print `html` (already written to `options.htmlFile`): into `loaded`, the
 * previous pass's page, edited in place when it can be, or else loaded into a
 * new page. The page stays open for the next pass unless printing failed.
 */
async function printOnce(
  browser: Browser,
  options: PrinterOptions,
  blocked: string[],
  html: string,
  loaded?: Page,
): Promise<Printed> {
  const timeout = options.timeout ?? 120_000
  const page = loaded ?? (await openPage(browser, options, blocked))
  try {
    const work = (async () => {
      if (!(loaded && (await updateInPlace(loaded, html))))
        await page.goto(pathToFileURL(options.htmlFile).href, { waitUntil: 'load', timeout })
      await page.evaluate(() => document.fonts.ready.then(() => undefined))
      return page.pdf({ ...PDF_OPTIONS, timeout })
    })()
    let timer: NodeJS.Timeout | undefined
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`printing took longer than ${timeout / 1000} s`)), timeout)
    })
    try {
      return { pdf: await Promise.race([work, hang]), page }
    } finally {
      clearTimeout(timer)
      work.catch(() => undefined)
    }
  } catch (error) {
    await page.close().catch(() => undefined)
    throw error
  }
}
