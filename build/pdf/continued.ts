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
import * as fontkit from 'fontkit'
import { openFontForMetrics } from '../config/fonts.ts'
import { readJson, writeAtomic } from '../write/files.ts'

/** Bump when `glyphPicture` draws differently. */
const PICTURE_VERSION = '2'

interface OutlineFont {
  unitsPerEm: number
  ascent: number
  descent: number
  layout(text: string): {
    glyphs: { id: number; path: { toSVG(): string } }[]
    positions: { xAdvance: number; xOffset: number; yOffset: number }[]
  }
}

/** A font to draw marks with: a key that changes with its bytes, and how to open it. */
export interface MarkFont {
  key: string
  open: () => OutlineFont
}

/** The font file at `file` (its path, size and modification time as key). */
export function fontFile(file: string): MarkFont {
  const { size, mtimeMs } = statSync(file)
  return {
    key: `${path.resolve(file)}\0${size}\0${mtimeMs}`,
    open: () => openFontForMetrics(file) as unknown as OutlineFont,
  }
}

/**
 * A subset of the font (`name` content-addressed), which opens in a fraction of the whole CJK font's time: the whole
 * font's glyph outlines are inflated, about a second, before a glyph can be drawn.
 */
export function fontSubset(name: string, data: Buffer): MarkFont {
  let font: OutlineFont | undefined
  return { key: name, open: () => (font ??= fontkit.create(data) as unknown as OutlineFont) }
}

/**
 * Continuation marks drawn by earlier builds, kept in `.cache/continued-marks.json`, so that a build whose marks did
 * not change opens no font. Keyed by the fonts, the text and the colour.
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

  /** `glyphPicture(fonts, text, color)`, from the cache when an earlier build drew it. */
  draw(fonts: MarkFont[], text: string, color: string): string {
    const key = JSON.stringify([PICTURE_VERSION, ...fonts.map((font) => font.key), text, color])
    let picture = this.used.get(key) ?? this.known[key]
    if (picture === undefined) {
      picture = glyphPicture(fonts, text, color)
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

/**
 * `text` drawn in glyph outlines, filled with `color`, as an `<img>` one em high: in the first of `fonts` that has
 * every glyph of it (a subset may lack one), else the last. (An inline SVG would take the text colour, but Chromium
 * does not paint inline SVG in a repeated table header.)
 */
export function glyphPicture(fonts: MarkFont[], text: string, color: string): string {
  let font = fonts[0]!.open()
  let laid = font.layout(text)
  for (const next of fonts.slice(1)) {
    if (laid.glyphs.every((glyph) => glyph.id !== 0)) break
    font = next.open()
    laid = font.layout(text)
  }
  const { glyphs, positions } = laid
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
export function drawContinuationMarks(tree: Root, fonts: MarkFont[], color: string, pictures?: MarkPictures): void {
  visit(tree, 'element', (row: Element) => {
    const classes = row.properties.className
    if (row.tagName !== 'tr' || !Array.isArray(classes) || !classes.includes('continued')) return
    for (const cell of row.children) {
      if (cell.type !== 'element') continue
      const label = cell.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
      const picture = (text: string) =>
        pictures ? pictures.draw(fonts, text, color) : glyphPicture(fonts, text, color)
      if (label) cell.children = [{ type: 'raw', value: picture(label) }]
    }
  })
}
