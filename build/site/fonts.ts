/**
 * The book font for the outputs: checked for missing glyphs, and subset to
 * the characters the book uses (one woff2 per weight), cached by the
 * character set so an unchanged book does not subset again.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import subsetFont from 'subset-font'
import { positionAt, type Diagnostics } from '../diagnostics.ts'
import { openFontForMetrics, type BookFonts } from '../config/fonts.ts'
import { writeAtomic } from '../write/files.ts'

/** Characters that never need a glyph: controls and the whitespace the layout engine handles. */
function needsGlyph(codePoint: number): boolean {
  return (
    codePoint > 0x20 &&
    codePoint !== 0x7f &&
    !(codePoint >= 0x80 && codePoint < 0xa0) &&
    codePoint !== 0xfeff &&
    !(codePoint >= 0x200b && codePoint <= 0x200f)
  )
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
export function reportMissingGlyphs(
  missing: string[],
  sources: { file: string; text: string }[],
  fonts: BookFonts,
  diagnostics: Diagnostics,
): void {
  for (const char of missing) {
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    const source = sources.find((s) => s.text.includes(char))
    const place = source && positionAt(source.text, source.text.indexOf(char))
    diagnostics.error(
      source?.file ?? path.basename(fonts.regular),
      `The character “${char}” (${code}) has no glyph in the book font ${fonts.family}; replace it, or choose a ` +
        `font that has it`,
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

/** Subset the given weights (both by default) to the characters in `text`. Cached on disk by font and character set. */
export async function subsetFonts(
  text: string,
  fonts: BookFonts,
  cacheDir: string,
  weights: readonly (400 | 700)[] = [400, 700],
): Promise<SubsetFont[]> {
  const chars = [...new Set(text)]
    .filter((c) => needsGlyph(c.codePointAt(0)!) || c === ' ')
    .sort()
    .join('')
  await fs.mkdir(cacheDir, { recursive: true })
  const stem = fileStem(fonts.family)
  return Promise.all(
    (
      [
        [400, fonts.regular],
        [700, fonts.bold],
      ] as const
    )
      .filter(([weight]) => weights.includes(weight))
      .map(async ([weight, file]) => {
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
        return { weight, name: `${stem}-${weight}.${shortDigest(data)}.woff2`, data }
      }),
  )
}

/** `@font-face` rules for the subset files, with URLs under `base`. */
export function fontFaceCss(family: string, subsets: SubsetFont[], base: string): string {
  return subsets
    .map(
      (s) =>
        `@font-face { font-family: ${JSON.stringify(family)}; font-style: normal; font-weight: ${s.weight}; ` +
        `font-display: swap; src: url(${JSON.stringify(`${base}${s.name}`)}) format("woff2"); }`,
    )
    .join('\n')
}

/**
 * Dev mode: the book's woff2 files as they are, named like subsets, so that an
 * edit bringing in a new character does not wait for a re-subset. Undefined
 * when a face is not woff2. Each returned getter reads the files once per
 * font pair (keep one per Builder).
 */
export function wholeFontReader(): (fonts: BookFonts) => Promise<SubsetFont[] | undefined> {
  let key: string | undefined
  let files: Promise<SubsetFont[] | undefined> | undefined
  return (fonts) => {
    if (key !== `${fonts.regular}\n${fonts.bold}`) {
      key = `${fonts.regular}\n${fonts.bold}`
      files = readWholeFonts(fonts)
    }
    return files!
  }
}

async function readWholeFonts(fonts: BookFonts): Promise<SubsetFont[] | undefined> {
  if (![fonts.regular, fonts.bold].every((file) => file.endsWith('.woff2'))) return undefined
  return Promise.all(
    (
      [
        [400, fonts.regular],
        [700, fonts.bold],
      ] as const
    ).map(async ([weight, file]) => {
      const data = await fs.readFile(file)
      return {
        weight,
        name: `${fileStem(fonts.family)}-${weight}.${shortDigest(data)}.woff2`,
        data,
      }
    }),
  )
}

/** `Noto Sans SC` → `noto-sans-sc`: the start of the font files' names. */
function fileStem(family: string): string {
  return family.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** The content part of a font file's name. */
function shortDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 10)
}
