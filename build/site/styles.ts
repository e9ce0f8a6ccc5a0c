/**
 * The styles stage: the default theme's stylesheets (build/theme/styles), each replaced by the book's file of the same
 * name, then the book's other stylesheets on top. The common one is joined to each rendition's own.
 */
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostics } from '../diagnostics.ts'
import { themeDir } from '../config/templates.ts'
import type { BookFonts } from '../config/fonts.ts'
import { dashCss } from '../render/dash.ts'

export interface BookStyles {
  site: string
  print: string
}

const THEME_FILES = ['common.css', 'site.css', 'print.css'] as const

/**
 * The theme's stylesheets for a language, added after the rendition's own (a book's file of the same name replaces
 * it): characters only that language's books show, such as Chinese punctuation in `content:`, so that they never
 * count for a Latin book's glyph check and font subsets.
 */
const LANGUAGE_FILES: { pattern: RegExp; file: string }[] = [{ pattern: /^zh\b/i, file: 'zh.css' }]

/**
 * Read `common.css`, `site.css` and `print.css` from the book's `dir`, or the theme's where the book has none, and add
 * the book's other `.css` files (in name order) to both renditions. The theme's stylesheets name the text's fonts
 * (the Latin companion, then the main font) as `var(--book-font)`, and the figures' as `var(--figure-font)`.
 */
export async function readStyles(
  dir: string,
  fonts: Pick<BookFonts, 'family' | 'stack' | 'faces'>,
  diagnostics: Diagnostics,
  required = false,
  language = 'zh-CN',
): Promise<BookStyles> {
  const own = existsSync(dir) ? (await fs.readdir(dir)).filter((name) => name.endsWith('.css')).sort() : []
  if (required && !existsSync(dir)) {
    diagnostics.error(
      dir,
      "The styles folder named in the book config is missing; create it, or remove `styles:` to use the engine's " +
        'default styles',
      'styles:missing',
    )
  }
  const read = (name: string) =>
    fs.readFile(own.includes(name) ? path.join(dir, name) : path.join(themeDir(), 'styles', name), 'utf8')
  const [common, site, print] = await Promise.all(THEME_FILES.map(read))
  const languageFiles = LANGUAGE_FILES.filter(({ pattern }) => pattern.test(language)).map(({ file }) => file)
  const themed = [...THEME_FILES, ...languageFiles]
  const extra = await Promise.all([
    ...languageFiles.map(read),
    ...own.filter((name) => !themed.includes(name)).map((name) => read(name)),
  ])
  // The theme names the book font through a variable; a book's own common.css names it itself.
  const font = own.includes('common.css')
    ? ''
    : `:root { --book-font: ${fonts.stack}; --figure-font: ${JSON.stringify(fonts.family)}; }\n`
  // Set from the font's own dash glyphs, for every book: the two-em dash (render/dash.ts).
  const dash = dashCss(fonts, language)
  const join = (...parts: string[]) => [font + parts[0], ...parts.slice(1), ...(dash ? [dash] : [])].join('\n')
  return { site: join(common!, site!, ...extra), print: join(common!, print!, ...extra) }
}
