/**
 * The book font: resolved from npm, checked for missing glyphs, and subset
 * to the characters the book uses (one woff2 per weight), cached by the
 * character set so an unchanged book does not subset again.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import * as fontkit from 'fontkit'
import subsetFont from 'subset-font'
import type { Diagnostics } from './diagnostics.ts'
import type { BookConfig } from './config.ts'
import { writeAtomic } from './files.ts'

export interface BookFonts {
  family: string
  regular: string
  bold: string
}

/** Resolve the config's font paths: relative to the book root, or a package path under node_modules. */
export function resolveFonts(config: BookConfig, root: string, diagnostics: Diagnostics, configFile: string): BookFonts | undefined {
  const resolve = (spec: string): string | undefined => {
    if (spec.startsWith('.') || path.isAbsolute(spec)) {
      const full = path.resolve(root, spec)
      return existsSync(full) ? full : undefined
    }
    for (let dir = root; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', spec)
      if (existsSync(candidate)) return candidate
      if (path.dirname(dir) === dir) break
    }
    // The engine's own dependencies, wherever it runs from (build/ under tsx, or its compiled copy).
    for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', spec)
      if (existsSync(candidate)) return candidate
      if (path.dirname(dir) === dir) return undefined
    }
  }
  const regular = resolve(config.fonts.regular)
  const bold = resolve(config.fonts.bold)
  for (const [key, value, found] of [['regular', config.fonts.regular, regular], ['bold', config.fonts.bold, bold]] as const) {
    if (!found) diagnostics.error(configFile, `\`fonts.${key}\`: font file ${value} not found; run \`npm ci\`, or point it at a .woff2/.ttf file`, 'config:font')
  }
  return regular && bold ? { family: config.fonts.family, regular, bold } : undefined
}

const fontCache = new Map<string, fontkit.Font>()

/**
 * Open a font for its cmap and metrics, memoised. A WOFF2 file is read from
 * its WOFF sibling when there is one (as @fontsource ships): WOFF compresses
 * each table on its own, so only the tables asked for are inflated, where
 * WOFF2 must decode the whole CJK font (about 100 MB of memory per face).
 */
export function openFontForMetrics(file: string): fontkit.Font {
  let font = fontCache.get(file)
  if (!font) {
    const woff = file.replace(/\.woff2$/, '.woff')
    const opened = fontkit.openSync(woff !== file && existsSync(woff) ? woff : file) as fontkit.Font | fontkit.FontCollection
    font = 'fonts' in opened ? opened.fonts[0]! : opened
    fontCache.set(file, font)
  }
  return font
}

/** Characters that never need a glyph: controls and the whitespace the layout engine handles. */
function needsGlyph(codePoint: number): boolean {
  return codePoint > 0x20 && codePoint !== 0x7f && !(codePoint >= 0x80 && codePoint < 0xa0) && codePoint !== 0xfeff && !(codePoint >= 0x200b && codePoint <= 0x200f)
}

/** The characters of `text` that have no glyph in one of the fonts. */
export function missingGlyphs(text: string, fonts: BookFonts): string[] {
  const missing = new Set<string>()
  const faces = [openFontForMetrics(fonts.regular), openFontForMetrics(fonts.bold)]
  for (const char of new Set(text)) {
    const codePoint = char.codePointAt(0)!
    if (!needsGlyph(codePoint)) continue
    if (faces.some((face) => !face.hasGlyphForCodePoint(codePoint))) missing.add(char)
  }
  return [...missing].sort()
}

/** Record one error per missing glyph, pointing at its first use in the sources. */
export async function reportMissingGlyphs(
  missing: string[],
  sources: { file: string; text: string }[],
  fonts: BookFonts,
  diagnostics: Diagnostics,
): Promise<void> {
  for (const char of missing) {
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    const source = sources.find((s) => s.text.includes(char))
    let place
    if (source) {
      const offset = source.text.indexOf(char)
      const before = source.text.slice(0, offset).split('\n')
      place = { line: before.length, column: before.at(-1)!.length + 1 }
    }
    diagnostics.error(
      source?.file ?? path.basename(fonts.regular),
      `The character “${char}” (${code}) has no glyph in the book font ${fonts.family}; replace it, or choose a font that has it`,
      'font:missing-glyph',
      place,
    )
  }
}

export interface SubsetFont {
  weight: 400 | 700
  /** File name, content-addressed: `noto-sans-sc-400.1a2b3c4d.woff2`. */
  name: string
  data: Buffer
}

/** Subset both weights to the characters in `text`. Cached on disk by font and character set. */
export async function subsetFonts(text: string, fonts: BookFonts, cacheDir: string): Promise<SubsetFont[]> {
  const chars = [...new Set(text)].filter((c) => needsGlyph(c.codePointAt(0)!) || c === ' ').sort().join('')
  await fs.mkdir(cacheDir, { recursive: true })
  const stem = fonts.family.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return Promise.all(
    ([[400, fonts.regular], [700, fonts.bold]] as const).map(async ([weight, file]) => {
      const source = await fs.readFile(file)
      const key = createHash('sha256').update(source).update('\0').update(chars).digest('hex')
      const cached = path.join(cacheDir, `${key}.woff2`)
      let data: Buffer
      try {
        data = await fs.readFile(cached)
      } catch {
        data = Buffer.from(await subsetFont(source, chars, { targetFormat: 'woff2' }))
        await writeAtomic(cached, data)
      }
      const digest = createHash('sha256').update(data).digest('hex').slice(0, 10)
      return { weight, name: `${stem}-${weight}.${digest}.woff2`, data }
    }),
  )
}

/** `@font-face` rules for the subset files, with URLs under `base`. */
export function fontFaceCss(family: string, subsets: SubsetFont[], base: string): string {
  return subsets
    .map(
      (s) =>
        `@font-face { font-family: ${JSON.stringify(family)}; font-style: normal; font-weight: ${s.weight}; font-display: swap; src: url(${JSON.stringify(`${base}${s.name}`)}) format("woff2"); }`,
    )
    .join('\n')
}
