/**
 * The book's Mustache templates, loaded and checked with the config, so that a broken template fails before any work.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import Mustache from 'mustache'
import type { Diagnostics } from '../diagnostics.ts'

/** Templates every book must provide, in `templates/`. Any other `.html` file there is a partial. */
const REQUIRED_TEMPLATES = ['print.html', 'page.html', 'index.html'] as const

export interface Templates {
  render(name: (typeof REQUIRED_TEMPLATES)[number], view: object): string
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
    render: (name, view) => Mustache.render(sources.get(name)!, view, partials),
    text: [...sources.values()].join('\n'),
  }
}
