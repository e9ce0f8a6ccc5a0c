/**
 * Printing the book with Chromium, and proving its page numbers.
 *
 * The print document carries a fixed-width slot for every index entry's page
 * number. Pass 1 prints with the numbers of the last build (or blanks);
 * the PDF's named destinations tell on which page each target landed. If
 * they differ from what was printed, pass 2 prints with the right numbers.
 * The final PDF is then read back and every entry is checked against the
 * page it links to and that page's footer number.
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

export interface PrintOptions {
  /** Produces the print HTML with the given page numbers (id → label). */
  html: (numbers: Map<string, string>) => string
  /** Where the print HTML is written; every file it loads must be inside `allowedDir`. */
  htmlFile: string
  allowedDir: string
  entries: IndexEntry[]
  /** The id whose page is body page 1. */
  firstBodyId: string
  /** Numbers from the previous build, to try in pass 1. */
  previousNumbers?: Map<string, string>
  /** Milliseconds before a print attempt is abandoned. */
  timeout?: number
  write: (file: string, data: string) => Promise<void>
  getBrowser: () => Promise<Browser>
  /** Called when the browser must be replaced after a crash or hang. */
  restartBrowser: () => Promise<Browser>
  onPass?: (pass: number, ms: number) => void
  /** Called with the time the final check of every index entry took. */
  onVerify?: (ms: number) => void
}

export interface PrintResult {
  pdf: Uint8Array
  numbers: Map<string, string>
  passes: number
  readback: PdfReadback
  blocked: string[]
}

/** Print, number, reprint if needed, and verify. Later passes edit the numbers into the document still loaded. */
export async function printBook(options: PrintOptions): Promise<PrintResult> {
  const blocked: string[] = []
  let numbers = new Map(options.entries.map(({ id }) => [id, options.previousNumbers?.get(id) ?? '']))
  let passes = 0
  let loaded: Page | undefined
  try {
    for (;;) {
      passes++
      const started = performance.now()
      const html = options.html(numbers)
      await options.write(options.htmlFile, html)
      const printed = await printWithRetry(options, blocked, html, loaded)
      loaded = printed.page
      const pdf = printed.pdf
      const readback = await readPdf(pdf)
      options.onPass?.(passes, performance.now() - started)
      const found = pageNumbers(readback, options)
      const moved = [...found].some(([id, label]) => numbers.get(id) !== label)
      if (!moved) {
        const verifying = performance.now()
        verify(readback, numbers, options)
        options.onVerify?.(performance.now() - verifying)
        return { pdf, numbers, passes, readback, blocked }
      }
      if (passes >= 3) {
        const message =
          'Page numbers did not settle after 3 print passes: writing the numbers in moved the pages. Give the ' +
          'number slots in the print CSS a fixed width.'
        throw buildError(path.basename(options.htmlFile), message, 'print:unstable')
      }
      numbers = found
    }
  } finally {
    await loaded?.close().catch(() => undefined)
  }
}

/** Body page label of every entry's target, from the PDF's named destinations. */
function pageNumbers(readback: PdfReadback, options: PrintOptions): Map<string, string> {
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
  options: Pick<PrintOptions, 'entries' | 'firstBodyId' | 'htmlFile'>,
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

async function printWithRetry(options: PrintOptions, blocked: string[], html: string, loaded?: Page): Promise<Printed> {
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
async function openPage(browser: Browser, options: PrintOptions, blocked: string[]): Promise<Page> {
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
  options: PrintOptions,
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
