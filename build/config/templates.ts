/**
 * The book's Mustache templates, loaded and checked with the config, so that a broken template fails before any work.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import Mustache from 'mustache'
import type { Diagnostics } from '../diagnostics.ts'

/** Templates every book must provide, in `templates/`. Any other `.html` file there is a partial. */
const REQUIRED_TEMPLATES = ['print.html', 'page.html', 'index.html'] as const

/** Templates a book may add: the site's search page, its 404 page, and the share image (drawn by Chromium). */
export const OPTIONAL_TEMPLATES = ['search.html', '404.html', 'share.html'] as const

export interface Templates {
  render(name: (typeof REQUIRED_TEMPLATES)[number] | (typeof OPTIONAL_TEMPLATES)[number], view: object): string
  /** Whether the book has a template (an optional one, most usefully). */
  has(name: string): boolean
  /** Source text of every template, for font subsetting and glyph checks. */
  text: string
}

/** Read every template in `dir`, recording a missing required one and syntax errors. */
export async function loadTemplates(dir: string, diagnostics: Diagnostics): Promise<Templates | undefined> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((name) => name.endsWith('.html')).sort()
  } catch {
    diagnostics.error(
      dir,
      'The templates folder is missing; it must hold print.html, page.html and index.html',
      'templates:missing',
    )
    return undefined
  }
  const sources = new Map<string, string>()
  for (const name of names) sources.set(name, await fs.readFile(path.join(dir, name), 'utf8'))
  for (const required of REQUIRED_TEMPLATES) {
    if (!sources.has(required))
      diagnostics.error(path.join(dir, required), `Missing template ${required}`, 'templates:missing')
  }
  const partials = Object.fromEntries([...sources].map(([name, source]) => [name.replace(/\.html$/, ''), source]))
  for (const [name, source] of sources) {
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
