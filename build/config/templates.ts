/**
 * The book's Mustache templates: the engine's default theme (build/theme/templates), with any template of the same
 * name in the book's `templates/` folder in its place. Loaded and checked with the config, so that a broken template
 * fails before any work.
 */
import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import Mustache from 'mustache'
import type { Diagnostics } from '../diagnostics.ts'

/** Templates every theme provides. Any other `.html` file is a partial. */
const REQUIRED_TEMPLATES = ['print.html', 'page.html', 'index.html'] as const

/** Templates a book may add: the site's search page, its 404 page, and the share image (drawn by Chromium). */
export const OPTIONAL_TEMPLATES = ['search.html', '404.html', 'share.html'] as const

export interface Templates {
  render(name: (typeof REQUIRED_TEMPLATES)[number] | (typeof OPTIONAL_TEMPLATES)[number], view: object): string
  /** Whether the book or the theme has a template (an optional one, most usefully). */
  has(name: string): boolean
  /** Source text of every template used, for font subsetting and glyph checks. */
  text: string
  /** Source text of the book's own templates (the overrides), for placing a missing glyph. */
  bookText: string
}

/** The engine's default theme folder: `build/theme`, found from the source or from its compiled copy. */
export function themeDir(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'build', 'theme')
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) throw new Error(`The engine's default theme (build/theme) is missing`)
  }
}

/**
 * Read the default templates, then the book's from `dir` over them. `dir` that does not exist is an error only when
 * the book config names it (`required`).
 */
export async function loadTemplates(
  dir: string,
  diagnostics: Diagnostics,
  required = false,
): Promise<Templates | undefined> {
  const sources = await readHtmlFiles(path.join(themeDir(), 'templates'))
  const own = existsSync(dir) ? await readHtmlFiles(dir) : new Map<string, string>()
  if (required && !existsSync(dir)) {
    diagnostics.error(
      dir,
      'The templates folder named in the book config is missing; create it, or remove `templates:` to use the ' +
        "engine's default templates",
      'templates:missing',
    )
  }
  for (const [name, source] of own) sources.set(name, source)
  for (const name of REQUIRED_TEMPLATES) {
    if (!sources.has(name)) diagnostics.error(path.join(dir, name), `Missing template ${name}`, 'templates:missing')
  }
  const partials = Object.fromEntries([...sources].map(([name, source]) => [name.replace(/\.html$/, ''), source]))
  for (const [name, source] of own) {
    try {
      Mustache.parse(source)
    } catch (error) {
      diagnostics.error(path.join(dir, name), `Template syntax error: ${(error as Error).message}`, 'templates:syntax')
    }
  }
  if (diagnostics.errorCount > 0) return undefined
  return {
    render: (name, view) => Mustache.render(sources.get(name)!, view, partials, { escape: escapeHtml }),
    has: (name) => sources.has(name),
    text: [...sources.values()].join('\n'),
    bookText: [...own.values()].join('\n'),
  }
}

/**
 * Escape text for HTML text and quoted attribute values. Mustache's default also escapes `/`, `=` and backticks, which
 * HTML does not need and which turn every URL into `https:&#x2F;&#x2F;…`.
 */
function escapeHtml(value: unknown): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
  return String(value).replace(/[&<>"']/g, (c) => entities[c]!)
}

async function readHtmlFiles(dir: string): Promise<Map<string, string>> {
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith('.html')).sort()
  return new Map(
    await Promise.all(names.map(async (name) => [name, await fs.readFile(path.join(dir, name), 'utf8')] as const)),
  )
}
