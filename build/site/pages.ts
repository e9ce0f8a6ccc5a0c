/** The site's pages: the index page and one page per chapter, rendered with the book's Mustache templates. */
import type { Root as HastRoot } from 'hast'
import type { BookConfig } from '../config/config.ts'
import type { Templates } from '../config/templates.ts'
import type { BookModel } from '../collect/model.ts'
import { chapterHtml, type FigureOutput } from '../render/rendition.ts'
import { bookView } from '../render/view.ts'
import { LABELS } from '../labels.ts'

export interface SitePageOptions {
  /** Whether pages link `whitepaper.pdf`: only when the PDF is written beside them. */
  hasPdf: boolean
  /** Extra HTML put before `</body>` (dev mode's reload script). */
  injection?: string
}

/** Every site page by file name, `index.html` first. */
export function sitePages(
  config: BookConfig,
  model: BookModel,
  trees: Map<string, HastRoot>,
  figures: Map<string, FigureOutput>,
  templates: Templates,
  options: SitePageOptions,
): Map<string, string> {
  const view = bookView(config, model, 'site')
  const pages = new Map<string, string>()
  const inject = (html: string) => (options.injection ? html.replace('</body>', `${options.injection}</body>`) : html)
  const order = [
    { id: 'index', title: LABELS.home, href: 'index.html' },
    ...model.chapters.map((c) => ({
      id: c.id,
      title: c.kind === 'part' ? `${c.numeral} ${c.title}` : c.title,
      href: `${c.id}.html`,
    })),
  ]
  // `isCurrent` marks the page's own TOC entry.
  const pageView = (current: string) => ({
    ...view,
    hasPdf: options.hasPdf,
    isIndex: current === 'index',
    front: view.front.map((f) => ({ ...f, isCurrent: f.id === current })),
    parts: view.parts.map((p) => ({ ...p, isCurrent: p.id === current })),
  })
  pages.set('index.html', inject(templates.render('index.html', { ...pageView('index'), next: order[1] })))
  for (const [index, chapter] of model.chapters.entries()) {
    const body = chapterHtml(trees.get(chapter.id)!, chapter, model, 'site', figures)
    const part = view.parts.find((p) => p.id === chapter.id)
    const page = { id: chapter.id, title: chapter.title, isPart: chapter.kind === 'part', part, body }
    pages.set(
      `${chapter.id}.html`,
      inject(
        templates.render('page.html', { ...pageView(chapter.id), page, prev: order[index], next: order[index + 2] }),
      ),
    )
  }
  return pages
}
