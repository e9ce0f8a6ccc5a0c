/**
 * The book font for the outputs: checked for missing glyphs, and subset to
 * the characters the book uses (TrueType for the print, woff2 for the site),
 * cached by the character set so an unchanged book does not subset again.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { positionAt, type Diagnostics, type Position } from '../diagnostics.ts'
import { openFontForMetrics, type BookFonts, type FontFace } from '../config/fonts.ts'
import { writeAtomic } from '../write/files.ts'
import { subsetInWorker, type SubsetFormat } from './subset-pool.ts'

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

/**
 * The characters of `text` that no family has in both upright weights (a Latin companion covers Latin characters the
 * main font lacks, and the other way round).
 */
export function missingGlyphs(text: string, fonts: BookFonts): string[] {
  const missing = new Set<string>()
  const families = [...new Set(fonts.faces.map((f) => f.family))].map((family) =>
    fonts.faces.filter((f) => f.family === family && f.style === 'normal').map((f) => openFontForMetrics(f.file)),
  )
  for (const char of new Set(text)) {
    const codePoint = char.codePointAt(0)!
    if (!needsGlyph(codePoint)) continue
    if (!families.some((faces) => faces.every((face) => face.hasGlyphForCodePoint(codePoint)))) missing.add(char)
  }
  return [...missing].sort()
}

/** Text the book takes from a file, for placing a character: at its first use, or at a fixed `place`. */
export interface GlyphSource {
  file: string
  text: string
  place?: Position
  /** What the text is, when the place does not show it: `the built-in label \`contents\``. */
  what?: string
}

/** Record one error per missing glyph, pointing at its first use in the sources. */
export function reportMissingGlyphs(
  missing: string[],
  sources: GlyphSource[],
  fonts: BookFonts,
  diagnostics: Diagnostics,
): void {
  for (const char of missing) {
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
    const source = sources.find((s) => s.text.includes(char))
    const place = source && (source.place ?? positionAt(source.text, source.text.indexOf(char)))
    diagnostics.error(
      source?.file ?? path.basename(fonts.regular),
      `The character “${char}” (${code})${source?.what ? ` in ${source.what}` : ''} has no glyph in the book font ` +
        `${fonts.family}; replace it, or choose a font that has it`,
      'font:missing-glyph',
      place,
    )
  }
}

export interface SubsetFont {
  family: string
  weight: 400 | 700
  style: 'normal' | 'italic'
  /** File name, content-addressed: `noto-sans-sc-400.1a2b3c4d.woff2`, `noto-sans-400i.…`, `….ttf` for print. */
  name: string
  data: Buffer
  /** The characters the file is declared for, when it holds only part of the book's (see site/opening.ts). */
  unicodeRange?: string
}

/**
 * Subset every face (or only those of the given weights) to the characters in `text`, as woff2 for the site or as
 * plain TrueType/OpenType (`sfnt`) for the print, which a browser loads without decompressing and which takes a
 * fraction of the time to make (woff2's brotli is most of a subset's cost). Cached on disk by font, character set and
 * format.
 */
export async function subsetFonts(
  text: string,
  fonts: BookFonts,
  cacheDir: string,
  weights: readonly (400 | 700)[] = [400, 700],
  format: SubsetFormat = 'woff2',
): Promise<SubsetFont[]> {
  const chars = subsetChars(text)
  await fs.mkdir(cacheDir, { recursive: true })
  return Promise.all(
    fonts.faces
      .filter((face) => weights.includes(face.weight))
      .map(async (face) => {
        return subsetFile(face, await cachedSubset(await fs.readFile(face.file), chars, cacheDir, format))
      }),
  )
}

/** The characters of `text` a subset keeps, sorted: those that need a glyph, and the space. */
function subsetChars(text: string): string {
  return [...new Set(text)]
    .filter((c) => needsGlyph(c.codePointAt(0)!) || c === ' ')
    .sort()
    .join('')
}

/** Subsets (say the print's) subset further to the characters of `text`, as woff2 (cached like `subsetFonts`). */
export function resubsetFonts(subsets: SubsetFont[], text: string, cacheDir: string): Promise<SubsetFont[]> {
  const chars = subsetChars(text)
  return Promise.all(subsets.map((subset) => resubsetFont(subset, chars, cacheDir)))
}

/**
 * Subset an already subset file further, to `chars` (cached like `subsetFonts`), as woff2; it keeps its family and
 * weight.
 */
export async function resubsetFont(font: SubsetFont, chars: string, cacheDir: string): Promise<SubsetFont> {
  return subsetFile(font, await cachedSubset(font.data, chars, cacheDir, 'woff2'))
}

/** `source` subset to `chars`, from the cache folder when it was made before. */
async function cachedSubset(source: Buffer, chars: string, cacheDir: string, format: SubsetFormat): Promise<Buffer> {
  const key = createHash('sha256').update(source).update('\0').update(chars).digest('hex')
  const cached = path.join(cacheDir, `${key}.${format}`)
  try {
    return await fs.readFile(cached)
  } catch {
    const data = await subsetInWorker(source, chars, format)
    await fs.mkdir(cacheDir, { recursive: true })
    await writeAtomic(cached, data)
    return data
  }
}

/** `@font-face` rules for the subset files, with URLs under `base`. */
export function fontFaceCss(subsets: SubsetFont[], base: string): string {
  return subsets
    .map(
      (s) =>
        `@font-face { font-family: ${JSON.stringify(s.family)}; font-style: ${s.style}; font-weight: ${s.weight}; ` +
        `font-display: swap; src: url(${JSON.stringify(`${base}${s.name}`)}) format("${FORMATS[path.extname(s.name)] ?? 'woff2'}");` +
        `${s.unicodeRange ? ` unicode-range: ${s.unicodeRange};` : ''} }`,
    )
    .join('\n')
}

/**
 * Dev mode: the book's woff2 files as they are, named like subsets, so that an
 * edit bringing in a new character does not wait for a re-subset. Undefined
 * when a face is not woff2. Each returned getter reads the files once per
 * font set (keep one per Builder).
 */
export function wholeFontReader(): (fonts: BookFonts) => Promise<SubsetFont[] | undefined> {
  let key: string | undefined
  let files: Promise<SubsetFont[] | undefined> | undefined
  return (fonts) => {
    const wanted = fonts.faces.map((f) => f.file).join('\n')
    if (key !== wanted) {
      key = wanted
      files = readWholeFonts(fonts)
    }
    return files!
  }
}

async function readWholeFonts(fonts: BookFonts): Promise<SubsetFont[] | undefined> {
  if (!fonts.faces.every((face) => face.file.endsWith('.woff2'))) return undefined
  return Promise.all(fonts.faces.map(async (face) => subsetFile(face, await fs.readFile(face.file))))
}

function subsetFile(face: Pick<FontFace, 'family' | 'weight' | 'style'>, data: Buffer): SubsetFont {
  const { family, weight, style } = face
  const signature = data.subarray(0, 4).toString('latin1')
  const extension = signature === 'wOF2' ? 'woff2' : signature === 'OTTO' ? 'otf' : 'ttf'
  const name = `${fileStem(family)}-${weight}${style === 'italic' ? 'i' : ''}.${shortDigest(data)}.${extension}`
  return { family, weight, style, name, data }
}

/** The CSS `format()` of the font files, by extension: woff2, or an sfnt with TrueType or CFF (`OTTO`) outlines. */
const FORMATS: Record<string, string> = { '.woff2': 'woff2', '.ttf': 'truetype', '.otf': 'opentype' }

/** `Noto Sans SC` → `noto-sans-sc`: the start of the font files' names. */
function fileStem(family: string): string {
  return family.toLowerCase().replace(/[^a-z0-9]+/g, '-')
}

/** The content part of a font file's name. */
function shortDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 10)
}
