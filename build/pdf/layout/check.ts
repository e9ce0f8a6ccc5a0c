/**
 * The layout check: read the final PDF back and report its make-up faults page by page: sparse pages, widows,
 * short last lines, numbers parted from their units, stranded headings, lone characters in table cells, tiny
 * figure text, text outside the page, a text layer that does not give back the source, and punctuation set solid.
 */
import { MARGIN_ZONE, type PdfReadback } from '../readback.ts'
import {
  findLoneCellCharacters,
  findOutsidePage,
  findShortLastLines,
  findSmallFigureText,
  findSparsePages,
  findSplitUnits,
  findStrandedHeadings,
  findWidows,
  type Finding,
  type PageInfo,
  type PageRole,
} from './checks.ts'
import { lineBoxes } from './lines.ts'
import { findLoosePunctuation } from './punctuation.ts'
import { findUnsearchable, readableText } from './search.ts'
import { readBlocks } from './structure.ts'

export interface LayoutOptions {
  /** A body page with fewer lines than this is reported. Default 8. */
  minLines?: number
  /** Figure text under this size (points, at print size) is reported. Default 8. */
  minFigureText?: number
}

export interface LayoutInput {
  pdf: Uint8Array
  readback: PdfReadback
  /** What each page is (cover, index, part title, body), by 0-based index. */
  roles: PageRole[]
  /** Phrases of the source that must be found as written (see `searchProbes`). */
  probes: string[]
}

/** Every finding on the book's pages, in page order. */
export async function checkLayout(input: LayoutInput, options: LayoutOptions = {}): Promise<Finding[]> {
  const { readback } = input
  const blocks = await readBlocks(input.pdf)
  const lines = lineBoxes(readback.pages, blocks, MARGIN_ZONE)
  const pages: PageInfo[] = readback.pages.map((page, i) => ({
    index: page.index,
    width: page.width,
    height: page.height,
    role: input.roles[i] ?? 'body',
  }))
  const bodyPages = pages.filter((page) => page.role === 'body')
  const bodyPageLines = lines.filter((line) => pages[line.page]?.role === 'body')
  const findings = [
    ...findSparsePages(lines, pages, options.minLines ?? 8),
    ...findWidows(bodyPageLines),
    ...findShortLastLines(bodyPageLines),
    ...findSplitUnits(lines),
    ...findStrandedHeadings(bodyPageLines, bodyPages),
    ...findLoneCellCharacters(lines),
    ...findSmallFigureText(lines, options.minFigureText ?? 8),
    ...findOutsidePage(lines, pages),
    ...findUnsearchable(input.probes, readableText(lines)),
    ...findLoosePunctuation(readback.pages),
  ]
  return findings.sort((a, b) => a.page - b.page)
}

/**
 * What each page is, from where the book's chapters and parts begin: the pages before the first chapter are the
 * cover (the first) and the indexes; a part's first page is its title page; a last page without a folio is the
 * back cover.
 */
export function pageRoles(readback: PdfReadback, chapterIds: string[], partIds: string[]): PageRole[] {
  const starts = chapterIds.map((id) => readback.destinations.get(id)).filter((i) => i !== undefined)
  const firstChapter = starts.length ? Math.min(...starts) : 0
  const partPages = new Set(partIds.map((id) => readback.destinations.get(id)))
  const last = readback.pages.length - 1
  return readback.pages.map((page, i): PageRole => {
    if (i === 0 && page.footer === '') return 'cover'
    if (i < firstChapter) return 'index'
    if (partPages.has(i)) return 'part-title'
    if (i === last && page.footer === '') return 'cover'
    return 'body'
  })
}
