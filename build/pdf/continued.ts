/**
 * The continuation mark of a table that runs onto another page (`表4（续）`), drawn as a picture of its glyphs.
 *
 * Chromium repeats a table's header group on every page it reaches, so the mark lives in the header group; on the
 * table's first page the real caption covers it. Written as text, the covered copy would sit in the PDF's text
 * layer of every table's first page, where search and copy find a caption that the reader does not see. Drawn as
 * glyph outlines, it prints the same and adds nothing to the text layer.
 */
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import { openFontForMetrics } from '../config/fonts.ts'

interface OutlineFont {
  unitsPerEm: number
  ascent: number
  descent: number
  layout(text: string): {
    glyphs: { path: { toSVG(): string } }[]
    positions: { xAdvance: number; xOffset: number; yOffset: number }[]
  }
}

/**
 * `text` drawn in the font file's glyph outlines, filled with `color`, as an `<img>` one em high. (An inline SVG would
 * take the text colour, but Chromium does not paint inline SVG in a repeated table header.)
 */
export function glyphPicture(fontFile: string, text: string, color: string): string {
  const font = openFontForMetrics(fontFile) as unknown as OutlineFont
  const { glyphs, positions } = font.layout(text)
  let x = 0
  const paths: string[] = []
  glyphs.forEach((glyph, i) => {
    const position = positions[i]!
    const transform = `translate(${x + position.xOffset} ${font.ascent + position.yOffset}) scale(1 -1)`
    paths.push(`<path transform="${transform}" d="${glyph.path.toSVG()}"/>`)
    x += position.xAdvance
  })
  const height = font.ascent - font.descent
  const em = (units: number) => (units / font.unitsPerEm).toFixed(3)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${x} ${height}" fill="${color}">${paths.join('')}</svg>`
  const uri = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
  return `<img alt="" src="${uri}" style="width: ${em(x)}em; height: ${em(height)}em; vertical-align: middle">`
}

/** The colour of continuation marks: the print stylesheet's `--continued-mark`, else black. */
export function continuationColor(css: string): string {
  return /--continued-mark:\s*(#[0-9a-fA-F]{3,8})\b/.exec(css)?.[1] ?? '#000'
}

/** Replace the text of every continuation row (`tr.continued`) in a print tree by its picture. */
export function drawContinuationMarks(tree: Root, fontFile: string, color: string): void {
  visit(tree, 'element', (row: Element) => {
    const classes = row.properties.className
    if (row.tagName !== 'tr' || !Array.isArray(classes) || !classes.includes('continued')) return
    for (const cell of row.children) {
      if (cell.type !== 'element') continue
      const label = cell.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      if (label) cell.children = [{ type: 'raw', value: glyphPicture(fontFile, label, color) }]
    }
  })
}
