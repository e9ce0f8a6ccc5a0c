/**
 * The continuation mark of a table that runs onto another page (`表4（续）`), drawn as a picture of its glyphs.
 *
 * Chromium repeats a table's header group on every page it reaches, so the mark lives in the header group; on the
 * table's first page the real caption covers it. Written as text, the covered copy would sit in the PDF's text
 * layer of every table's first page, where search and copy find a caption that the reader does not see. Drawn as
 * glyph outlines, it prints the same and adds nothing to the text layer.
 */
import { statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Element, Root } from 'hast'
import { visit } from 'unist-util-visit'
import { openFontForMetrics } from '../config/fonts.ts'
import { readJson, writeAtomic } from '../write/files.ts'

/** Bump when `glyphPicture` draws differently. */
const PICTURE_VERSION = '1'

/**
 * Continuation marks drawn by earlier builds, kept in `.cache/continued-marks.json`: opening the font file to draw
 * them (fontkit inflating a CJK font) takes about a second, which a build whose marks did not change need not pay.
 * Keyed by the font file's path, size and modification time, the text and the colour.
 */
export class MarkPictures {
  private readonly used = new Map<string, string>()
  private drawn = false

  private constructor(
    private readonly file: string,
    private readonly known: Record<string, string>,
  ) {}

  static async load(cacheDir: string): Promise<MarkPictures> {
    const file = path.join(cacheDir, 'continued-marks.json')
    return new MarkPictures(file, (await readJson<Record<string, string>>(file)) ?? {})
  }

  /** `glyphPicture(fontFile, text, color)`, from the cache when an earlier build drew it. */
  draw(fontFile: string, text: string, color: string): string {
    const { size, mtimeMs } = statSync(fontFile)
    const key = JSON.stringify([PICTURE_VERSION, path.resolve(fontFile), size, mtimeMs, text, color])
    let picture = this.used.get(key) ?? this.known[key]
    if (picture === undefined) {
      picture = glyphPicture(fontFile, text, color)
      this.drawn = true
    }
    this.used.set(key, picture)
    return picture
  }

  /** Keep the marks this build used (only those), if any was drawn anew or one fell out of use. */
  async save(): Promise<void> {
    if (!this.drawn && this.used.size === Object.keys(this.known).length) return
    await mkdir(path.dirname(this.file), { recursive: true })
    await writeAtomic(this.file, JSON.stringify(Object.fromEntries(this.used)))
  }
}

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
export function drawContinuationMarks(tree: Root, fontFile: string, color: string, pictures?: MarkPictures): void {
  visit(tree, 'element', (row: Element) => {
    const classes = row.properties.className
    if (row.tagName !== 'tr' || !Array.isArray(classes) || !classes.includes('continued')) return
    for (const cell of row.children) {
      if (cell.type !== 'element') continue
      const label = cell.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      const picture = (text: string) =>
        pictures ? pictures.draw(fontFile, text, color) : glyphPicture(fontFile, text, color)
      if (label) cell.children = [{ type: 'raw', value: picture(label) }]
    }
  })
}
