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
 * `text` drawn in the font file's glyph outlines, as an inline SVG one em high whose paths take the text colour
 * (`currentColor`), so that the print stylesheet still decides how the mark looks.
 */
export function glyphPicture(fontFile: string, text: string): string {
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
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" viewBox="0 0 ${x} ${height}" ` +
    `fill="currentColor" style="width: ${em(x)}em; height: ${em(height)}em; vertical-align: middle">` +
    `${paths.join('')}</svg>`
  )
}

/** Replace the text of every continuation row (`tr.continued`) in a print tree by its picture. */
export function drawContinuationMarks(tree: Root, fontFile: string): void {
  visit(tree, 'element', (row: Element) => {
    const classes = row.properties.className
    if (row.tagName !== 'tr' || !Array.isArray(classes) || !classes.includes('continued')) return
    for (const cell of row.children) {
      if (cell.type !== 'element') continue
      const label = cell.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      if (label) cell.children = [{ type: 'raw', value: glyphPicture(fontFile, label) }]
    }
  })
}
