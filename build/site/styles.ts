/** The styles stage: the book's stylesheets, the common one joined to each rendition's own. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostics } from '../diagnostics.ts'

export interface BookStyles {
  site: string
  print: string
}

/** Read `common.css`, `site.css` and `print.css` from `dir`; a missing one is an error. */
export async function readStyles(dir: string, diagnostics: Diagnostics): Promise<BookStyles> {
  const read = async (name: string) => {
    try {
      return await fs.readFile(path.join(dir, name), 'utf8')
    } catch {
      diagnostics.error(path.join(dir, name), `Missing stylesheet styles/${name}`, 'styles:missing')
      return ''
    }
  }
  const [common, site, print] = await Promise.all([read('common.css'), read('site.css'), read('print.css')])
  return { site: `${common}\n${site}`, print: `${common}\n${print}` }
}
