/** The view the templates see, shared by the site pages and the print document. */
import type { BookConfig } from '../config/config.ts'
import type { BookModel, FloatEntry } from '../collect/model.ts'
import { pageOf, type Rendition } from './rendition.ts'

/** The view that the templates see. Hrefs and page-number slots depend on the rendition. */
export function bookView(
  config: BookConfig,
  model: BookModel,
  rendition: Rendition,
  numbers: Map<string, string> = new Map(),
) {
  const href = (id: string) => {
    if (rendition === 'print') return `#${id}`
    const page = pageOf(model, id)
    return page === id ? `${page}.html` : `${page}.html#${id}`
  }
  const floatView = (entry: FloatEntry) => ({
    id: entry.id,
    label: entry.label,
    caption: entry.caption,
    short: entry.short,
    href: href(entry.id),
    page: numbers.get(entry.id) ?? '',
  })
  const parts = model.parts.map((part) => ({
    id: part.id,
    number: part.partNumber,
    numeral: part.numeral,
    title: part.title,
    subtitle: part.subtitle ?? '',
    href: href(part.id),
    page: numbers.get(part.id) ?? '',
    /** For the running header of the part's pages, quoted for a CSS `content:` value. */
    headerCss: cssString(`${part.numeral} ${part.title}`),
    sections: part.sections.map((section) => ({
      id: section.id,
      number: section.number,
      title: section.title,
      href: href(section.id),
      page: numbers.get(section.id) ?? '',
    })),
  }))
  return {
    book: {
      ...config,
      keywordsText: config.keywords.join(', '),
      titleCss: cssString(config.title),
      subtitleCss: cssString(config.subtitle),
    },
    front: model.chapters
      .filter((c) => c.kind === 'front')
      .map((c) => ({ id: c.id, title: c.title, href: href(c.id) })),
    parts,
    figures: model.figures.map(floatView),
    tables: model.tables.map(floatView),
    hasFigures: model.figures.length > 0,
    hasTables: model.tables.length > 0,
  }
}

function cssString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\A ')}"`
}
