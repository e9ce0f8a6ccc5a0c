/**
 * A chapter's hast adapted to one rendition (the site pages or the print
 * document), with its figures put in, serialised once.
 */
import path from 'node:path'
import type { Root as HastRoot, Element, ElementContent } from 'hast'
import { visit } from 'unist-util-visit'
import type { BookModel, Chapter } from '../collect/model.ts'
import { fill } from '../labels.ts'
import { stringify } from './chapter.ts'
import { h, text } from './hast.ts'
import { hyphenateTree } from './hyphenate.ts'
import type { HyphenationFunctionSync } from 'hyphen'

export type Rendition = 'site' | 'print'

/**
 * What a figure brings to a page: its SVG (a chart, or an author's SVG image), or a raster image; and its data files
 * (relative to figures/) for the site's download links.
 */
export interface FigureOutput {
  svg: string
  dataFiles: string[]
  /** Site only: the figure's data as a table, shown under it (site/data.ts). */
  dataTable?: Element
  image?: { src: string; width: number; height: number; alt: string }
}

/** Where an id lives: the site page (file stem) it is on. */
export function pageOf(model: BookModel, id: string): string | undefined {
  return model.targets.get(id)?.chapter.id
}

/**
 * Adapt a chapter's hast to a rendition and serialise it. Site: links to
 * other pages get the page's file name. Print: only parts and sections are
 * headings, so that the PDF outline lists exactly those; deeper headings
 * become lead lines. Both: each figure's SVG goes into its figure.
 */
export function chapterHtml(
  tree: HastRoot,
  chapter: Chapter,
  model: BookModel,
  rendition: Rendition,
  figures: Map<string, FigureOutput>,
  hyphenate?: HyphenationFunctionSync,
): string {
  const copy = structuredClone(tree)
  if (rendition === 'print' && hyphenate) hyphenateTree(copy, hyphenate)
  visit(copy, 'element', (node: Element, index, parent) => {
    if (node.tagName === 'figure' && hasClass(node, 'figure') && typeof node.properties.id === 'string') {
      fillFigure(node, figures.get(node.properties.id), rendition, model)
    }
    if (
      rendition === 'site' &&
      node.tagName === 'a' &&
      typeof node.properties.href === 'string' &&
      node.properties.href.startsWith('#')
    ) {
      const id = node.properties.href.slice(1)
      const page = pageOf(model, id)
      if (page && page !== chapter.id) node.properties.href = page === id ? `${page}.html` : `${page}.html#${id}`
    }
    // The `表4（续）` row exists only for the PDF's page breaks; on the site it would be a stray header row.
    if (rendition === 'site' && node.tagName === 'tr' && hasClass(node, 'continued') && parent && index !== undefined) {
      parent.children.splice(index, 1)
      return index
    }
    if (rendition === 'site' && node.tagName === 'div' && hasClass(node, 'table-block')) makeScrollable(node)
    if (
      node.tagName === 'img' &&
      typeof node.properties.src === 'string' &&
      node.properties.src.startsWith('images/')
    ) {
      // The print document sits beside site/, and loads the site's copies; a lazy image might miss the print.
      if (rendition === 'print') node.properties.src = `site/${node.properties.src}`
      else Object.assign(node.properties, { loading: 'lazy', decoding: 'async' })
    }
    // The notes' title is no section: it stays out of the PDF outline.
    if (rendition === 'print' && node.tagName === 'h2' && hasClass(node, 'notes-title')) node.tagName = 'p'
    if (rendition === 'print' && /^h[3-6]$/.test(node.tagName)) {
      node.properties.className = ['lead', `lead-${node.tagName}`]
      node.tagName = 'p'
    }
    return undefined
  })
  return stringify(copy)
}

/**
 * Put the SVG into the figure's empty `figure-body`. On the site, a row of
 * tools goes after the source note, which stays directly under its figure as
 * in the PDF: the link to the figure's data, and what the book's script adds.
 * The row is there even when empty, so that a script filling it does not move
 * the page. The data table, if any, follows.
 */
function fillFigure(figure: Element, output: FigureOutput | undefined, rendition: Rendition, model: BookModel): void {
  const id = String(figure.properties.id)
  const slot = figure.children.findIndex(
    (child) =>
      child.type === 'element' &&
      child.tagName === 'div' &&
      hasClass(child, 'figure-body') &&
      child.children.length === 0,
  )
  if (slot < 0) return
  if (!output) {
    figure.children[slot] = h('div', { className: ['figure-body', 'figure-missing'], role: 'img', ariaLabel: id }, [
      text(id),
    ])
    return
  }
  // The SVG is already serialised and checked (figures/svg.ts); a raw node keeps its bytes as they are.
  const { image } = output
  const content: ElementContent = image
    ? h('img', { src: image.src, width: image.width, height: image.height, alt: image.alt }, [])
    : { type: 'raw', value: output.svg }
  figure.children[slot] = h('div', { className: ['figure-body'] }, [content])
  if (rendition !== 'site') return
  const links: ElementContent[] = output.dataFiles.flatMap((file, i) => [
    ...(i > 0 ? [text(' ')] : []),
    h('a', { href: file, download: true }, [text(fill(model.labels.data, path.basename(file)))]),
  ])
  const tools = h(
    'div',
    { className: ['figure-tools'] },
    links.length > 0 ? [h('p', { className: ['data-link'] }, links)] : [],
  )
  const next = figure.children[slot + 1]
  const afterSource = next?.type === 'element' && next.tagName === 'p' && hasClass(next, 'source') ? slot + 2 : slot + 1
  figure.children.splice(afterSource, 0, tools, ...(output.dataTable ? [structuredClone(output.dataTable)] : []))
}

/** A wide table scrolls inside its own box on narrow screens; keyboard users must be able to reach and scroll it. */
function makeScrollable(block: Element): void {
  if (typeof block.properties.id !== 'string') return
  const table = block.children.find((c): c is Element => c.type === 'element' && c.tagName === 'table')
  const caption = table?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'caption')
  if (caption) {
    caption.properties.id = `${block.properties.id}-caption`
    Object.assign(block.properties, { role: 'region', tabIndex: 0, ariaLabelledBy: caption.properties.id })
  }
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}
