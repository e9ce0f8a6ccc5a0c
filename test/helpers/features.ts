/** What the feature tests read back from a built fixture book: its PDF, its site pages and their links. */
import fs from 'node:fs/promises'
import path from 'node:path'
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs'
import { expect } from 'vitest'
import { formatDiagnostic, readPdf, type BuildSummary, type PdfReadback } from '../../build/index.ts'
import { build, copyBook } from './book.ts'

/** A built book, read back. */
export interface BuiltBook {
  pdf: PdfReadback
  pdfBytes: Buffer
  /** Site page file name → its HTML. */
  pages: Map<string, string>
}

/** Read the PDF and every site page of a book built into `root/dist`. */
export async function readBuiltBook(root: string): Promise<BuiltBook> {
  const pdfBytes = await fs.readFile(path.join(root, 'dist/whitepaper.pdf'))
  const site = path.join(root, 'dist/site')
  const names = (await fs.readdir(site)).filter((name) => name.endsWith('.html'))
  const pages = new Map(
    await Promise.all(names.map(async (n) => [n, await fs.readFile(path.join(site, n), 'utf8')] as const)),
  )
  return { pdf: await readPdf(pdfBytes), pdfBytes, pages }
}

/** A fixture book copied to a folder of its own and built strict (the default theme must set it without a finding). */
export async function buildFixture(fixture: string): Promise<{ root: string; summary: BuildSummary; book: BuiltBook }> {
  const root = await copyBook(fixture)
  const summary = await build(root, { strict: true })
  return { root, summary, book: await readBuiltBook(root) }
}

/** The build's warnings about the chapters, formatted. */
export const chapterWarnings = (summary: BuildSummary): string[] =>
  summary.warnings.map(formatDiagnostic).filter((message) => message.startsWith('chapters/'))

/** Text with all white space removed, so that line breaks in either rendition don't matter. */
export const squash = (text: string): string => text.replace(/\s+/g, '')

/** The PDF's body text, squashed. */
export const pdfText = (book: BuiltBook): string => squash(book.pdf.pages.map((p) => p.body).join(''))

/** The site's text without tags, squashed. */
export const siteText = (book: BuiltBook): string =>
  squash(
    [...book.pages.values()]
      .join('')
      .replace(/<[^>]+>/g, '')
      .replace(/&#x26;/g, '&'),
  )

/** Every link between site pages reaches an existing page, and an existing id on it; none points at a `.md` file. */
function expectSiteLinksResolve(book: BuiltBook): void {
  const ids = new Map(
    [...book.pages].map(([name, html]) => [name, new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]))]),
  )
  for (const [name, html] of book.pages) {
    for (const [, href] of html.matchAll(/<a [^>]*href="([^"]+)"/g)) {
      // Data downloads, the PDF, search assets and stylesheets are files, not pages.
      if (/^(https?:|mailto:|data\/|assets\/|pagefind\/)/.test(href!) || href === 'whitepaper.pdf') continue
      expect(href, `${name}: ${href}`).not.toMatch(/\.md(#|$)/)
      const [page, fragment] = href!.split('#')
      const target = page || name
      expect(book.pages.has(target), `${name}: ${href}`).toBe(true)
      if (fragment) expect(ids.get(target)!.has(decodeURIComponent(fragment)), `${name}: ${href}`).toBe(true)
    }
  }
}

/** Site links resolve, and a link on an earlier PDF page reaches `section` (a heading id) as an internal link. */
export function expectChapterLink(book: BuiltBook, section: string): void {
  expectSiteLinksResolve(book)
  const page = book.pdf.destinations.get(section)
  expect(page).toBeDefined()
  expect(book.pdf.links.some((link) => link.dest === section && link.page < page!)).toBe(true)
}

/** No local path in any output, and the PDF's URI links are http(s) or mailto only, `url` among them. */
export async function expectSelfContained(root: string, book: BuiltBook, url: string): Promise<void> {
  await expectNoLocalPaths(root)
  const urls = await pdfUris(book.pdfBytes)
  expect(urls.filter((u) => !/^(https?|mailto):/.test(u))).toEqual([])
  expect(urls).toContain(url)
}

/** No file under `dist` holds the build folder's absolute path or a staging folder's name. */
async function expectNoLocalPaths(root: string): Promise<void> {
  const dist = path.join(root, 'dist')
  for (const entry of await fs.readdir(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const bytes = await fs.readFile(path.join(entry.parentPath, entry.name))
    expect(bytes.includes(root), entry.name).toBe(false)
    expect(bytes.includes('.cache/staging'), entry.name).toBe(false)
  }
}

/** Every URI link annotation of a PDF (pdfjs), including those in compressed object streams. */
async function pdfUris(data: Buffer): Promise<string[]> {
  const document = await pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0, isEvalSupported: false }).promise
  try {
    const urls: string[] = []
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number)
      for (const annotation of await page.getAnnotations()) if (annotation.url) urls.push(annotation.url as string)
    }
    return urls
  } finally {
    await document.destroy()
  }
}

/** Each note of `ids` (`<page>-note-N`) and its reference have a PDF destination and a link that reaches it. */
export function expectPdfNoteLinks(book: BuiltBook, ids: string[]): void {
  for (const id of ids.flatMap((note) => [note, note.replace(/-note-/, '-note-ref-')])) {
    expect(book.pdf.destinations.has(id), id).toBe(true)
    expect(
      book.pdf.links.some((link) => link.dest === id),
      id,
    ).toBe(true)
  }
}

/** The notes listed on the site pages, as `<page id>:<number>`. */
export const siteNotes = (book: BuiltBook): string[] =>
  [...book.pages.values()].flatMap((html) =>
    [...html.matchAll(/<li id="([a-z0-9-]+)-note-(\d+)">/g)].map((m) => `${m[1]}:${m[2]}`),
  )
