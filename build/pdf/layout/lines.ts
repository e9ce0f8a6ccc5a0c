/**
 * Line boxes: the printed text runs of each page, grouped into lines of their structure element. The layout
 * checks are pure functions over these.
 */
import type { PdfTextItem } from '../readback.ts'
import type { BlockInfo, BlockKind } from './structure.ts'

export interface LineBox {
  /** 0-based physical page index. */
  page: number
  /** The structure element the line belongs to; lines of one paragraph on two pages share it. -1: untagged. */
  block: number
  kind: BlockKind
  text: string
  /** Left and right ends and baseline, in PDF points from the page's bottom left corner. */
  x: number
  right: number
  y: number
  /** The largest font size on the line, at print size. */
  size: number
  /** In the header or footer zone (running heads, folios). */
  margin: boolean
}

/** A run of nothing but emphasis-mark or bullet glyphs. */
const MARKS_ONLY = /^[\s•●◦﹅﹆・]+$/u

export interface PageText {
  index: number
  width: number
  height: number
  items: PdfTextItem[]
}

/**
 * Group each page's text runs into lines: runs of the same block whose baselines are within half a font size of
 * each other form one line. `marginZone` points at the top and bottom hold the running heads and folios.
 */
export function lineBoxes(pages: PageText[], blocks: Map<string, BlockInfo>, marginZone: number): LineBox[] {
  const lines: LineBox[] = []
  for (const page of pages) {
    const pageLines: LineBox[] = []
    for (const item of page.items) {
      const info = item.content === undefined ? undefined : blocks.get(item.content)
      const block = info?.block ?? -1
      const line = pageLines.find((l) => l.block === block && Math.abs(l.y - item.y) < Math.max(l.size, item.size) / 2)
      const right = item.x + item.width
      // A run of spaces is pdfjs's reading of a gap: it joins the text, but its width is not ink.
      const ink = item.text.trim() !== ''
      if (line) {
        const before = item.x < line.x
        line.text = before ? item.text + line.text : line.text + item.text
        if (!ink) continue
        line.x = Math.min(line.x, item.x)
        line.right = Math.max(line.right, right)
        line.size = Math.max(line.size, item.size)
        continue
      }
      // Emphasis marks (着重号, CSS text-emphasis) are drawn as their own run of dots under or over the text; they
      // are not a line of text. A bullet that starts a line is dropped too, harmlessly: its text makes the line.
      if (!ink || MARKS_ONLY.test(item.text)) continue
      const margin = item.y < marginZone || item.y > page.height - marginZone
      pageLines.push({
        page: page.index,
        block,
        kind: info?.kind ?? 'other',
        text: item.text,
        x: item.x,
        right,
        y: item.y,
        size: item.size,
        margin,
      })
    }
    // Reading order: top to bottom, then left to right.
    pageLines.sort((a, b) => b.y - a.y || a.x - b.x)
    lines.push(...pageLines)
  }
  return lines
}

/** The visible characters of a line: spaces do not count. */
export function visibleLength(text: string): number {
  return [...text.replace(/\s+/g, '')].length
}

/** Lines of the page body, without running heads and folios. */
export function bodyLines(lines: LineBox[]): LineBox[] {
  return lines.filter((line) => !line.margin)
}

/** The body lines of each block, in reading order, across pages. */
export function linesByBlock(lines: LineBox[]): Map<number, LineBox[]> {
  const blocks = new Map<number, LineBox[]>()
  for (const line of bodyLines(lines)) {
    if (line.block < 0) continue
    const list = blocks.get(line.block) ?? []
    list.push(line)
    blocks.set(line.block, list)
  }
  return blocks
}
