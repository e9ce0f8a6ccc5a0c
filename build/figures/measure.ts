/**
 * Text measurement from the book font's real advance widths.
 *
 * In Node there is no canvas, so vega falls back to 0.8 em per character,
 * which is too narrow for CJK (1 em) and too wide for most Latin. Vega calls
 * `textMetrics.width(item, line)` for every line it measures (bounds, axis
 * label overlap, `limit` truncation), so replacing that hook is enough.
 */
import { openFontForMetrics } from '../config/fonts.ts'

export interface FontFiles {
  regular: string
  bold: string
}

/** The fields of a vega text item that measurement reads. */
export interface MeasuredItem {
  fontSize?: number | string
  fontWeight?: number | string
  text?: unknown
}

export type TextMeasurer = (item: MeasuredItem, text: unknown) => number

interface LayoutFont {
  unitsPerEm: number
  glyphForCodePoint(codePoint: number): { id: number }
  hmtx: { metrics: { length: number; get(index: number): { advance: number } } }
}

const measurers = new Map<string, TextMeasurer>()

function openFont(file: string): LayoutFont {
  return openFontForMetrics(file) as unknown as LayoutFont
}

const advances = new WeakMap<LayoutFont, Map<string, number>>()

function advance(font: LayoutFont, char: string): number {
  let table = advances.get(font)
  if (!table) advances.set(font, (table = new Map()))
  let width = table.get(char)
  if (width === undefined) {
    // Straight from hmtx: a glyph's own advanceWidth would decode its outline too.
    const { metrics } = font.hmtx
    const id = font.glyphForCodePoint(char.codePointAt(0)!).id
    width = metrics.get(Math.min(id, metrics.length - 1)).advance
    table.set(char, width)
  }
  return width
}

/** Whether a CSS font-weight value selects the bold face. */
function isBold(weight: number | string | undefined): boolean {
  if (weight === undefined || weight === null) return false
  if (weight === 'bold' || weight === 'bolder') return true
  const numeric = Number(weight)
  return Number.isFinite(numeric) && numeric >= 600
}

/**
 * A memoised measurer reading advance widths from the font files: the bold
 * file for `fontWeight` bold or ≥ 600, the regular file otherwise. Widths are
 * cached per face and string in font units, then scaled by `fontSize`
 * (vega's default is 11 px). Arrays (multi-line text) measure as their widest line.
 */
export function createTextMeasurer(files: FontFiles): TextMeasurer {
  const key = `${files.regular}\n${files.bold}`
  const existing = measurers.get(key)
  if (existing) return existing
  // Opened on first use: a build whose figures all come from the cache never needs them.
  const faces: { regular?: LayoutFont; bold?: LayoutFont } = {}
  const cache = { regular: new Map<string, number>(), bold: new Map<string, number>() }
  const unitWidth = (face: 'regular' | 'bold', text: string): number => {
    let width = cache[face].get(text)
    if (width === undefined) {
      const font = (faces[face] ??= openFont(files[face]))
      // The sum of the glyphs' advance widths. Not fontkit's layout(): shaping a CJK font loads its
      // large GSUB/GPOS tables (about 150 MB of memory), and CJK text has no kerning or ligatures to shape.
      width = 0
      for (const char of text) width += advance(font, char)
      width /= font.unitsPerEm
      cache[face].set(text, width)
    }
    return width
  }
  const measure: TextMeasurer = (item, text) => {
    const size = item.fontSize != null ? +item.fontSize || 0 : 11
    if (size <= 0) return 0
    const face = isBold(item.fontWeight) ? 'bold' : 'regular'
    const lines = Array.isArray(text) ? text : [text]
    let widest = 0
    for (const line of lines) {
      const value = line == null ? '' : String(line).trim()
      if (value) widest = Math.max(widest, unitWidth(face, value) * size)
    }
    return widest
  }
  measurers.set(key, measure)
  return measure
}
