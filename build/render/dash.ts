/**
 * The two-em dash (破折号 “——”, also the Latin omission dash): one unbroken rule exactly two ems long. A font sets
 * “——” as two dashes or one ligature whose ink stops short of the two-em slot (Noto Sans SC: 1.86 em, inset
 * 0.07 em at each end). The engine wraps each pair in `<span class="dash">` and sizes the glyphs from the font's own
 * shapes so that the ink runs from the slot's left edge to its right one. The text stays “——”: the glyphs are only
 * scaled and moved, so the PDF's text layer and the page's selection still read the two dashes.
 */
import type { Element, Root } from 'hast'
import { openFontForMetrics, type BookFonts } from '../config/fonts.ts'
import { wrapMatches } from './hast.ts'

/** Two em dashes, neither part of a longer run. */
const PAIR = /(?<!—)——(?!—)/g

/** Wrap each “——” in `<span class="dash">`. */
export function wrapDashes(tree: Root | Element): void {
  wrapMatches(tree, PAIR, 'dash')
}

/** The OpenType script and language a browser shapes “——” with in a book of `language` (BCP 47). */
function shapingContext(language: string): { script: string; language?: string } {
  if (!/^zh\b/i.test(language)) return { script: 'latn' }
  return { script: 'hani', language: /^zh-(TW|HK|MO|Hant)\b/i.test(language) ? 'ZHT' : 'ZHS' }
}

/** Round to four decimals, for stable CSS. */
const round = (value: number) => Number(value.toFixed(4))

/**
 * The rule for `.dash`, set in the book's main font (the one whose dash suits its script: Noto Sans SC centres it on
 * the ideographs), or the first face that has “—”: letter-spacing closes the gap between two separate dash glyphs,
 * the font size stretches the ink to two ems of the surrounding text, the margins take back the side bearings, and
 * the baseline shift keeps the stroke at its height. Undefined when no face has the dash.
 */
export function dashCss(fonts: Pick<BookFonts, 'family' | 'faces'>, language: string): string | undefined {
  const regular = fonts.faces.filter(
    (f) => f.weight === 400 && f.style === 'normal' && openFontForMetrics(f.file).hasGlyphForCodePoint(0x2014),
  )
  const face = regular.find((f) => f.family === fonts.family) ?? regular[0]
  if (!face) return undefined
  const font = openFontForMetrics(face.file)
  const context = shapingContext(language)
  const run = font.layout('——', [], context.script, context.language)
  const em = font.unitsPerEm
  const glyphs = run.glyphs.map((glyph, i) => ({ box: glyph.bbox, advance: run.positions[i]!.xAdvance / em }))
  const first = glyphs[0]!
  const lastGlyph = glyphs.at(-1)!
  const advance = glyphs.reduce((sum, g) => sum + g.advance, 0)
  const left = first.box.minX / em
  // Two glyphs: spacing that brings the second one's ink against the first one's.
  const spacing = glyphs.length === 2 ? (first.box.maxX - lastGlyph.box.minX) / em - first.advance : 0
  const right = advance - lastGlyph.advance + lastGlyph.box.maxX / em
  const ink = right - left + (glyphs.length - 1) * spacing
  if (!(ink > 0)) return undefined
  const scale = 2 / ink
  const middle = (first.box.minY + first.box.maxY) / 2 / em
  const rules = [
    `font-family: ${JSON.stringify(face.family)}`,
    `font-size: ${round(scale)}em`,
    'line-height: 0',
    `letter-spacing: ${round(spacing)}em`,
    `margin: 0 ${round(right - advance - spacing)}em 0 ${round(-left)}em`,
    `vertical-align: ${round(-(middle * (scale - 1)) / scale)}em`,
    'white-space: nowrap',
  ]
  return `.dash { ${rules.join('; ')}; }`
}
