/** The view the templates see, shared by the site pages and the print document. */
import type { BookConfig } from '../config/config.ts'
import type { BookModel, Chapter, FloatEntry } from '../collect/model.ts'
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
  const sectionView = (section: Chapter['sections'][number]) => ({
    id: section.id,
    number: section.number,
    title: section.title,
    heading: section.heading,
    href: href(section.id),
    page: numbers.get(section.id) ?? '',
  })
  // Every numbered chapter (part, chapter, appendix); named `parts` since the templates first knew only parts.
  const parts = model.body.map((unit, index) => {
    const tocNumber = unit.kind === 'appendix' ? unit.label : unit.numeral
    return {
      id: unit.id,
      /** 1-based in the body, for the print document's page names. */
      number: index + 1,
      numeral: unit.numeral,
      /** 第一部分, Chapter 1, 附录A. */
      label: unit.label,
      /** What the indexes print before the title: 一, 1, 附录A. */
      tocNumber,
      title: unit.title,
      subtitle: unit.subtitle ?? '',
      href: href(unit.id),
      page: numbers.get(unit.id) ?? '',
      isPart: unit.kind === 'part',
      isChapter: unit.kind === 'chapter',
      isAppendix: unit.kind === 'appendix',
      /** Whether the print document gives it a title page of its own. */
      titlePage: unit.kind === 'part' && config.partTitlePages,
      /** For the running header of its pages, quoted for a CSS `content:` value. */
      headerCss: cssString(`${tocNumber} ${unit.title}`),
      sections: unit.sections.map(sectionView),
    }
  })
  return {
    book: {
      ...config,
      backCover: {
        ...config.backCover,
        hasContent: config.backCover.slogan.length + config.backCover.contact.length > 0,
      },
      keywordsText: config.keywords.join(', '),
      titleCss: cssString(config.title),
      subtitleCss: cssString(config.subtitle),
      /** The language as an Open Graph locale: zh_CN. */
      locale: config.language.replace('-', '_'),
    },
    labels: model.labels,
    front: model.chapters
      .filter((c) => c.kind === 'front')
      .map((c) => ({
        id: c.id,
        title: c.title,
        href: href(c.id),
        page: numbers.get(c.id) ?? '',
        sections: c.sections.map(sectionView),
      })),
    parts,
    labelColumn: labelColumns(
      model,
      parts.map((p) => p.tocNumber),
    ),
    figures: model.figures.map(floatView),
    tables: model.tables.map(floatView),
    hasFigures: model.figures.length > 0,
    hasTables: model.tables.length > 0,
  }
}

/** The widest label of each index list, which every label of the list makes room for (the label column). */
function labelColumns(model: BookModel, tocNumbers: (string | undefined)[]) {
  return {
    parts: widest(tocNumbers),
    sections: widest(model.body.flatMap((unit) => unit.sections.map((s) => s.number))),
    figures: widest(model.figures.map((f) => f.label)),
    tables: widest(model.tables.map((t) => t.label)),
  }
}

/**
 * The longest of a list's labels, in characters: labels of one list share their pattern (图9, 图10; (一), (十一)), so
 * the longest is the widest.
 */
function widest(labels: (string | undefined)[]): string {
  return labels.reduce<string>((long, label = '') => ([...label].length > [...long].length ? label : long), '')
}

function cssString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\A ')}"`
}
