/**
 * The two renditions: site pages and the single print document, rendered
 * from the book model with the book's Mustache templates.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import Mustache from 'mustache'
import type { Root as HastRoot, Element } from 'hast'
import { visit } from 'unist-util-visit'
import type { BookConfig } from './config.ts'
import type { BookModel, Chapter, FloatEntry } from './model.ts'
import { stringify } from './render.ts'
import type { Diagnostics } from './diagnostics.ts'

/** Templates every book must provide, in `templates/`. Any other `.html` file there is a partial. */
export const REQUIRED_TEMPLATES = ['print.html', 'page.html', 'index.html'] as const

export interface Templates {
  render(name: (typeof REQUIRED_TEMPLATES)[number], view: object): string
  /** Source text of every template, for font subsetting and glyph checks. */
  text: string
}

export async function loadTemplates(dir: string, diagnostics: Diagnostics): Promise<Templates | undefined> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((name) => name.endsWith('.html')).sort()
  } catch {
    diagnostics.error(dir, 'The templates folder is missing; it must hold print.html, page.html and index.html', 'templates:missing')
    return undefined
  }
  const sources = new Map<string, string>()
  for (const name of names) sources.set(name, await fs.readFile(path.join(dir, name), 'utf8'))
  for (const required of REQUIRED_TEMPLATES) {
    if (!sources.has(required)) diagnostics.error(path.join(dir, required), `Missing template ${required}`, 'templates:missing')
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

export type Rendition = 'site' | 'print'

/** Where an id lives: the site page (file stem) it is on. */
export function pageOf(model: BookModel, id: string): string | undefined {
  return model.targets.get(id)?.chapter.id
}

/**
 * Adapt a chapter's hast to a rendition. Site: links to other pages get
 * the page's file name. Print: only parts and sections are headings, so
 * that the PDF outline lists exactly those; deeper headings become lead lines.
 */
export function chapterHtml(tree: HastRoot, chapter: Chapter, model: BookModel, rendition: Rendition): string {
  const copy = structuredClone(tree)
  visit(copy, 'element', (node: Element, index, parent) => {
    if (rendition === 'site' && node.tagName === 'a' && typeof node.properties.href === 'string' && node.properties.href.startsWith('#')) {
      const page = pageOf(model, node.properties.href.slice(1))
      if (page && page !== chapter.id) node.properties.href = `${page}.html${node.properties.href}`
    }
    // The `表4（续）` row exists only for the PDF's page breaks; on the site it would be a stray header row.
    if (rendition === 'site' && node.tagName === 'tr' && hasClass(node, 'continued') && parent && index !== undefined) {
      parent.children.splice(index, 1)
      return index
    }
    // A wide table scrolls inside its own box on narrow screens; keyboard users must be able to reach and scroll it.
    if (rendition === 'site' && node.tagName === 'div' && hasClass(node, 'table-block') && typeof node.properties.id === 'string') {
      const table = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'table')
      const caption = table?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'caption')
      if (caption) {
        caption.properties.id = `${node.properties.id}-caption`
        Object.assign(node.properties, { role: 'region', tabIndex: 0, ariaLabelledBy: caption.properties.id })
      }
    }
    if (rendition === 'print' && /^h[3-6]$/.test(node.tagName)) {
      node.properties.className = ['lead', `lead-${node.tagName}`]
      node.tagName = 'p'
    }
    return undefined
  })
  return stringify(copy)
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}

export interface FigureOutput {
  svg: string
  dataFiles: string[]
}

/** Put each figure's SVG into its slot; on the site, add a link to its data. */
export function fillFigures(html: string, figures: Map<string, FigureOutput>, rendition: Rendition, dataLabel: string): string {
  // The data link goes after the source note, which stays directly under its figure as in the PDF.
  return html.replace(/<div class="figure-body" data-figure="([^"]+)"><\/div>(<p class="source">[\s\S]*?<\/p>)?/g, (_, id: string, source: string | undefined) => {
    const figure = figures.get(id)
    if (!figure) return `<div class="figure-body figure-missing" role="img" aria-label="${id}">${id}</div>${source ?? ''}`
    const links =
      rendition === 'site' && figure.dataFiles.length > 0
        ? `<p class="data-link">${figure.dataFiles.map((file) => `<a href="${file}" download>${dataLabel}（${path.basename(file)}）</a>`).join(' ')}</p>`
        : ''
    return `<div class="figure-body">${figure.svg}</div>${source ?? ''}${links}`
  })
}

/** The view that the templates see. Hrefs and page-number slots depend on the rendition. */
export function bookView(config: BookConfig, model: BookModel, rendition: Rendition, numbers: Map<string, string> = new Map()) {
  const href = (id: string) => {
    if (rendition === 'print') return `#${id}`
    const page = pageOf(model, id)
    return page === id ? `${page}.html` : `${page}.html#${id}`
  }
  const floatView = (entry: FloatEntry) => ({ id: entry.id, label: entry.label, caption: entry.caption, short: entry.short, href: href(entry.id), page: numbers.get(entry.id) ?? '' })
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
    sections: part.sections.map((section) => ({ id: section.id, number: section.number, title: section.title, href: href(section.id), page: numbers.get(section.id) ?? '' })),
  }))
  return {
    book: { ...config, keywordsText: config.keywords.join(', '), titleCss: cssString(config.title), subtitleCss: cssString(config.subtitle) },
    front: model.chapters.filter((c) => c.kind === 'front').map((c) => ({ id: c.id, title: c.title, href: href(c.id) })),
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
