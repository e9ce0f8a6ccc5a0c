/**
 * The site's pages: the index page, one page per chapter, and the optional search and 404 pages, rendered with the
 * book's Mustache templates. Each chapter page gets deep links and its "on this page" outline; its text feeds the
 * search index.
 */
import type { Root as HastRoot } from 'hast'
import type { BookConfig } from '../config/config.ts'
import type { Templates } from '../config/templates.ts'
import type { BookModel } from '../collect/model.ts'
import { chapterHtml, type FigureOutput } from '../render/rendition.ts'
import { bookView } from '../render/view.ts'
import { fill } from '../labels.ts'
import { prepareSitePage } from './outline.ts'
import { citation, pageUrl } from './meta.ts'
import type { SearchRecord } from './search.ts'
import { SHARE_IMAGE } from './share.ts'

export interface SitePageOptions {
  /** Whether pages link `whitepaper.pdf`: only when the PDF is written beside them. */
  hasPdf: boolean
  /** Whether the share image is drawn (the PDF stage's Chromium draws it); pages name it only with a `baseUrl`. */
  hasShareImage: boolean
  /** Extra HTML put before `</body>` (dev mode's reload script). */
  injection?: string
}

export interface SitePages {
  /** Every page by file name, `index.html` first. */
  pages: Map<string, string>
  /** The search index's records, in book order. */
  records: SearchRecord[]
}

/** Pages that are not part of the book: left out of the sitemap. */
export const UTILITY_PAGES = ['search.html', '404.html'] as const

/** Render every site page. */
export function sitePages(
  config: BookConfig,
  model: BookModel,
  trees: Map<string, HastRoot>,
  figures: Map<string, FigureOutput>,
  templates: Templates,
  options: SitePageOptions,
): SitePages {
  const view = bookView(config, model, 'site')
  const pages = new Map<string, string>()
  const records: SearchRecord[] = []
  const inject = (html: string) => (options.injection ? html.replace('</body>', `${options.injection}</body>`) : html)
  const order = [
    { id: 'index', title: model.labels.home, href: 'index.html' },
    ...model.chapters.map((c) => ({
      id: c.id,
      title: c.numeral ? `${c.numeral} ${c.title}` : c.title,
      href: `${c.id}.html`,
    })),
  ]
  const baseUrl = config.baseUrl
  // Open Graph wants an absolute address, and the image exists only when the PDF stage draws it.
  const shareImage =
    baseUrl && options.hasShareImage && templates.has('share.html')
      ? { url: pageUrl(baseUrl, SHARE_IMAGE.file), ...SHARE_IMAGE }
      : undefined
  // `isCurrent` marks the page's own TOC entry.
  const pageView = (current: string, description = config.description) => ({
    ...view,
    hasPdf: options.hasPdf,
    isIndex: current === 'index',
    description,
    canonical: baseUrl && current !== '404' ? pageUrl(baseUrl, `${current}.html`) : undefined,
    // The 404 page is served at any depth, so it resolves its links from the site's folder (the path of `baseUrl`).
    siteRoot: baseUrl ? new URL(baseUrl).pathname : '',
    shareImage,
    citation: citation(config, model.labels),
    front: view.front.map((f) => ({ ...f, isCurrent: f.id === current })),
    parts: view.parts.map((p) => ({ ...p, isCurrent: p.id === current })),
  })
  const sections = new Map(
    model.parts.flatMap((part) => part.sections.map((s) => [s.id, `${s.number}${s.title}`] as const)),
  )
  pages.set('index.html', inject(templates.render('index.html', { ...pageView('index'), next: order[1] })))
  for (const [index, chapter] of model.chapters.entries()) {
    const part = view.parts.find((p) => p.id === chapter.id)
    const name = part ? `${part.label ?? fill(model.labels.part, part.numeral ?? '')} ${part.title}` : chapter.title
    const prepared = prepareSitePage(trees.get(chapter.id)!, { id: chapter.id, name, sections })
    records.push(...prepared.records)
    const body = chapterHtml(prepared.tree, chapter, model, 'site', figures)
    const page = {
      id: chapter.id,
      title: chapter.title,
      isPart: chapter.kind !== 'front',
      part,
      body,
      outline: prepared.outline,
      hasOutline: prepared.outline.length > 0,
    }
    const pageHtml = templates.render('page.html', {
      ...pageView(chapter.id, prepared.description || config.description),
      page,
      prev: order[index],
      next: order[index + 2],
    })
    pages.set(`${chapter.id}.html`, inject(pageHtml))
  }
  for (const name of UTILITY_PAGES) {
    const id = name.replace(/\.html$/, '')
    if (templates.has(name))
      pages.set(name, inject(templates.render(name, { ...pageView(id), isSearch: id === 'search' })))
  }
  return { pages, records }
}
