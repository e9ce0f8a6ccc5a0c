/**
 * The make-up checks: pure functions over line boxes, one per kind of finding.
 */
import { NUMBER_UNITS } from '../../render/nobreak.ts'
import { bodyLines, linesByBlock, visibleLength, type LineBox } from './lines.ts'

export type FindingKind =
  | 'sparse-page'
  | 'widow'
  | 'short-last-line'
  | 'split-unit'
  | 'stranded-heading'
  | 'lone-cell-character'
  | 'small-figure-text'
  | 'outside-page'
  | 'unsearchable'
  | 'loose-punctuation'

export interface Finding {
  kind: FindingKind
  /** 0-based physical page index. */
  page: number
  message: string
  /** The printed text the finding is about: used to place it in the chapter source. */
  text?: string
  /** Unsearchable phrases: how the text layer reads them. */
  reads?: string
  /** Sparse pages: the lines the page holds, and how many a full page holds. */
  lines?: number
  linesPerPage?: number
}

/** What a page is: body pages are checked for fill, the others are not. */
export type PageRole = 'cover' | 'index' | 'part-title' | 'body'

export interface PageInfo {
  index: number
  width: number
  height: number
  role: PageRole
}

/** The running head and folio zones at the top and foot of a page, in points. */
const BODY_MARGIN = 62

const quote = (text: string) => `“${text.trim()}”`

/**
 * Body pages whose text fills fewer than `minLines` lines: the height from the first line's top to the last
 * line's baseline, in lines of the page's most common text size (line height 1.75), so that a figure counts by
 * the room it takes.
 */
export function findSparsePages(lines: LineBox[], pages: PageInfo[], minLines: number): Finding[] {
  const findings: Finding[] = []
  for (const page of pages) {
    if (page.role !== 'body') continue
    const onPage = bodyLines(lines).filter((line) => line.page === page.index)
    const text = onPage.filter((line) => line.kind !== 'figure')
    const lineHeight = (text.length ? median(text.map((l) => l.size)) : 10.5) * 1.75
    const top = Math.max(...onPage.map((l) => l.y + l.size))
    const bottom = Math.min(...onPage.map((l) => l.y))
    const count = onPage.length ? Math.round((top - bottom) / lineHeight) : 0
    if (count < minLines)
      findings.push({
        kind: 'sparse-page',
        page: page.index,
        message: `the page's text fills only ${count} line${count === 1 ? '' : 's'} (fewer than ${minLines})`,
        text: text[0]?.text,
        lines: count,
        linesPerPage: Math.floor((page.height - 2 * BODY_MARGIN) / lineHeight),
      })
  }
  return findings
}

/** Paragraphs and list items split across pages so that one line stands alone at the top or foot of a page. */
export function findWidows(lines: LineBox[]): Finding[] {
  const findings: Finding[] = []
  for (const blockLines of linesByBlock(lines).values()) {
    if (blockLines[0]!.kind !== 'paragraph') continue
    const pages = [...new Set(blockLines.map((line) => line.page))]
    if (pages.length < 2) continue
    const first = blockLines.filter((line) => line.page === pages[0])
    const last = blockLines.filter((line) => line.page === pages.at(-1))
    if (first.length === 1)
      findings.push({
        kind: 'widow',
        page: pages[0]!,
        message: `a paragraph leaves its first line ${quote(first[0]!.text)} alone at the foot of the page`,
        text: first[0]!.text,
      })
    if (last.length === 1)
      findings.push({
        kind: 'widow',
        page: pages.at(-1)!,
        message: `a paragraph leaves its last line ${quote(last[0]!.text)} alone at the top of the page`,
        text: last[0]!.text,
      })
  }
  return findings
}

/** Paragraphs and headings of two or more lines whose last line holds `maxChars` characters or fewer. */
export function findShortLastLines(lines: LineBox[], maxChars = 2): Finding[] {
  const findings: Finding[] = []
  for (const blockLines of linesByBlock(lines).values()) {
    const kind = blockLines[0]!.kind
    if (!['paragraph', 'heading', 'caption'].includes(kind) || blockLines.length < 2) continue
    const last = blockLines.at(-1)!
    if (visibleLength(last.text) <= maxChars)
      findings.push({
        kind: 'short-last-line',
        page: last.page,
        message: `a ${kind}'s last line holds only ${quote(last.text)}`,
        text: `${blockLines.at(-2)!.text}${last.text}`,
      })
  }
  return findings
}

const ENDS_WITH_NUMBER = /[0-9０-９][0-9０-９.,\-–~～]*$/
const STARTS_WITH_UNIT = new RegExp(`^[${NUMBER_UNITS}]`)

/** A number and its unit on two lines, or on two pages: `9.75 | 亿元`, `（2019-2021 | 年）`. */
export function findSplitUnits(lines: LineBox[]): Finding[] {
  const findings: Finding[] = []
  for (const blockLines of linesByBlock(lines).values()) {
    // A figure's labels are not running text: an axis of years above its title is no split.
    if (blockLines[0]!.kind === 'figure') continue
    for (let i = 1; i < blockLines.length; i++) {
      const before = blockLines[i - 1]!.text.trimEnd()
      const after = blockLines[i]!.text.trimStart()
      if (!ENDS_WITH_NUMBER.test(before) || !STARTS_WITH_UNIT.test(after)) continue
      const where = blockLines[i]!.page === blockLines[i - 1]!.page ? 'line' : 'page'
      const number = ENDS_WITH_NUMBER.exec(before)![0]
      findings.push({
        kind: 'split-unit',
        page: blockLines[i - 1]!.page,
        message: `the number ${number} and its unit ${after[0]} are split at a ${where} break`,
        text: `${before}${after}`,
      })
    }
  }
  return findings
}

/** A heading that is the last line of its page: its text is on the next one. */
export function findStrandedHeadings(lines: LineBox[], pages: { index: number }[]): Finding[] {
  const findings: Finding[] = []
  for (const page of pages) {
    const onPage = bodyLines(lines).filter((line) => line.page === page.index)
    const last = onPage.at(-1)
    const next = bodyLines(lines).find((line) => line.page > page.index)
    if (!last || last.kind !== 'heading' || next === undefined || next.block === last.block) continue
    findings.push({
      kind: 'stranded-heading',
      page: page.index,
      message: `the heading ${quote(last.text)} is the last line of the page; its text starts on the next page`,
      text: last.text,
    })
  }
  return findings
}

/** Punctuation, which does not make a character of its own on a line. */
const PUNCTUATION = /[\p{P}\p{S}]/gu

/**
 * A table cell line of a single character, or of one character and its punctuation (`设。`), in a cell of more
 * lines: a column too narrow for its words. A cell that holds one character only (a number) is fine.
 */
export function findLoneCellCharacters(lines: LineBox[]): Finding[] {
  const cellLines = [...linesByBlock(lines).values()].filter((block) => block[0]!.kind === 'cell' && block.length > 1)
  return cellLines
    .flat()
    .filter((line) => visibleLength(line.text.replace(PUNCTUATION, '')) <= 1 && visibleLength(line.text) <= 2)
    .map((line) => ({
      kind: 'lone-cell-character' as const,
      page: line.page,
      message: `a table cell line holds only ${quote(line.text)}`,
      text: line.text,
    }))
}

/** Figure text smaller than `minSize` points at print size. */
export function findSmallFigureText(lines: LineBox[], minSize = 8): Finding[] {
  return lines
    .filter((line) => line.kind === 'figure' && line.size < minSize - 0.05)
    .map((line) => ({
      kind: 'small-figure-text' as const,
      page: line.page,
      message: `figure text ${quote(line.text)} is ${line.size.toFixed(1)} pt at print size (under ${minSize} pt)`,
      text: line.text,
    }))
}

/** Text that reaches outside the page box. */
export function findOutsidePage(lines: LineBox[], pages: PageInfo[]): Finding[] {
  const findings: Finding[] = []
  for (const line of lines) {
    const page = pages[line.page]
    if (!page) continue
    const inside = line.x >= -0.5 && line.right <= page.width + 0.5 && line.y >= 0 && line.y + line.size <= page.height
    if (!inside)
      findings.push({
        kind: 'outside-page',
        page: line.page,
        message: `the text ${quote(line.text)} reaches outside the page box`,
        text: line.text,
      })
  }
  return findings
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
