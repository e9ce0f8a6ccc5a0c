/**
 * The book font's files: resolved from the config (a path in the book, or a package under node_modules), and opened for
 * metrics.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import * as fontkit from 'fontkit'
import type { Diagnostics } from '../diagnostics.ts'
import type { BookConfig } from './config.ts'

export interface BookFonts {
  family: string
  regular: string
  bold: string
}

/** Resolve the config's font paths: relative to the book root, or a package path under node_modules. */
export function resolveFonts(
  config: BookConfig,
  root: string,
  diagnostics: Diagnostics,
  configFile: string,
): BookFonts | undefined {
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
  for (const [key, value, found] of [
    ['regular', config.fonts.regular, regular],
    ['bold', config.fonts.bold, bold],
  ] as const) {
    if (!found)
      diagnostics.error(
        configFile,
        `\`fonts.${key}\`: font file ${value} not found; run \`npm ci\`, or point it at a .woff2/.ttf file`,
        'config:font',
      )
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
    const opened = fontkit.openSync(woff !== file && existsSync(woff) ? woff : file) as
      fontkit.Font | fontkit.FontCollection
    font = 'fonts' in opened ? opened.fonts[0]! : opened
    fontCache.set(file, font)
  }
  return font
}
