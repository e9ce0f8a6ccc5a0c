/**
 * The book's font files: resolved from the config (a path beside book.yaml, or a package under node_modules), and
 * opened for metrics. A book has one main font (the one figures are measured with) and, for Chinese books, a Latin
 * companion set before it, so that Latin runs are set in a Latin design.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as fontkit from 'fontkit'
import { positionAt, type Diagnostics, type Position } from '../diagnostics.ts'
import type { BookConfig } from './config.ts'

/** One font file: a face of a family. */
export interface FontFace {
  family: string
  weight: 400 | 700
  style: 'normal' | 'italic'
  file: string
}

export interface BookFonts {
  /** The main font: figures are measured and drawn with it. */
  family: string
  regular: string
  bold: string
  /** Every face the pages may use, the companion's first. */
  faces: FontFace[]
  /** The CSS font-family list of the text: the Latin companion, then the main font. */
  stack: string
}

type FamilyConfig = Omit<NonNullable<BookConfig['fonts']>, 'latin'>

const NOTO_SANS = '@fontsource/noto-sans/files/noto-sans-latin'

/** Noto Sans (Latin, OFL-1.1), with italics: the Latin font of every book that names none. */
const LATIN: FamilyConfig = {
  family: 'Noto Sans',
  regular: `${NOTO_SANS}-400-normal.woff2`,
  bold: `${NOTO_SANS}-700-normal.woff2`,
  italic: `${NOTO_SANS}-400-italic.woff2`,
  boldItalic: `${NOTO_SANS}-700-italic.woff2`,
}

/**
 * The fonts of a book without a `fonts` key: Noto Sans SC with Noto Sans for its Latin runs in Chinese books, Noto
 * Sans alone in the others.
 */
export function defaultFonts(language: string): NonNullable<BookConfig['fonts']> {
  if (!/^zh\b/i.test(language)) return LATIN
  return {
    family: 'Noto Sans SC',
    regular: '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2',
    bold: '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff2',
    latin: LATIN,
  }
}

/**
 * Resolve the config's font paths: relative to the config file (`fonts/X.ttf` or `./fonts/X.ttf`), or a package
 * path under node_modules (the book's, then the engine's own). Records an error for each file not found.
 */
export function resolveFonts(
  config: BookConfig,
  root: string,
  diagnostics: Diagnostics,
  configFile: string,
): BookFonts | undefined {
  const fonts = config.fonts ?? defaultFonts(config.language)
  const latin = fonts.latin === undefined && /^zh\b/i.test(config.language) ? LATIN : fonts.latin || undefined
  let missing = false
  const faces = (family: FamilyConfig, key: string): FontFace[] =>
    (
      [
        [400, 'normal', family.regular, 'regular'],
        [700, 'normal', family.bold, 'bold'],
        [400, 'italic', family.italic, 'italic'],
        [700, 'italic', family.boldItalic, 'boldItalic'],
      ] as const
    ).flatMap(([weight, style, spec, name]) => {
      if (!spec) return []
      const file = resolveFontFile(spec, root, configFile)
      if (file) return [{ family: family.family, weight, style, file }]
      missing = true
      diagnostics.error(
        configFile,
        `\`${key}.${name}\`: font file ${spec} not found (paths are relative to ${path.basename(configFile)}, or ` +
          `name a file in an npm package); run \`npm ci\`, or point it at a .woff2/.ttf file`,
        'config:font',
        placeIn(configFile, spec),
      )
      return []
    })
  const main = faces(fonts, 'fonts')
  const companion = latin && latin.family !== fonts.family ? faces(latin, 'fonts.latin') : []
  if (missing) return undefined
  const upright = (weight: number) => main.find((f) => f.weight === weight && f.style === 'normal')!.file
  return {
    family: fonts.family,
    regular: upright(400),
    bold: upright(700),
    faces: [...companion, ...main],
    stack: [...new Set([...companion, ...main].map((f) => JSON.stringify(f.family)))].join(', '),
  }
}

/** Where `text` first appears in the config file, for a positioned message. */
function placeIn(configFile: string, text: string): Position | undefined {
  const source = readFileSync(configFile, 'utf8')
  const offset = source.indexOf(text)
  return offset < 0 ? undefined : positionAt(source, offset)
}

function resolveFontFile(spec: string, root: string, configFile: string): string | undefined {
  const besideConfig = path.resolve(path.dirname(configFile), spec)
  if (existsSync(besideConfig)) return besideConfig
  if (spec.startsWith('.') || path.isAbsolute(spec)) return undefined
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
    const opened = fontkit.openSync(woff !== file && existsSync(woff) ? woff : file) as
      fontkit.Font | fontkit.FontCollection
    font = 'fonts' in opened ? opened.fonts[0]! : opened
    fontCache.set(file, font)
  }
  return font
}
