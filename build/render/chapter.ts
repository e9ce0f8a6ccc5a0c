/**
 * Chapter bodies: mdast → hast → HTML, once per chapter, shared by the site
 * and the print document. Author HTML is sanitised with an allow-list; the
 * engine's own markup (figures, tables, references) is added after that, so
 * it never has to pass the allow-list.
 */
import { unified } from 'unified'
import remarkRehype from 'remark-rehype'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import { visit, SKIP } from 'unist-util-visit'
import type { Root as MdastRoot, Text, PhrasingContent, Link } from 'mdast'
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive'
import type { Root as HastRoot, Element } from 'hast'
import type { BookModel } from '../collect/model.ts'
import { REFERENCE } from '../collect/references.ts'
import { h, text } from './hast.ts'
import { layoutTable } from './table.ts'
import { keepNumbersWithUnits } from './nobreak.ts'
import { wrapDashes } from './dash.ts'
import { markLatinEmphasis } from './emphasis.ts'
import { numberNotes, type NoteNumbers } from './notes.ts'
import { placeImages, type ImageView } from './images.ts'
import { highlightCode, type Highlight } from './code.ts'

/**
 * What authors may write as raw HTML: GitHub's allow-list (no script, no
 * event handlers, no `javascript:` URLs, no iframes, no style), keeping ids
 * unprefixed so that links to them work.
 */
const SANITIZE_SCHEMA = {
  ...defaultSchema,
  clobber: [],
  tagNames: [...(defaultSchema.tagNames ?? []), 'figure', 'figcaption'],
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'className'],
    a: ['href', 'className'],
  },
}

/** mdast → sanitised hast. Note ids get the chapter's prefix, so that the print document's chapters cannot clash. */
function toHast(prefix: string) {
  return unified()
    .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: prefix })
    .use(rehypeRaw)
    .use(rehypeSanitize, SANITIZE_SCHEMA)
}

export interface RenderOptions {
  /** How notes are numbered: ①②… (drawn) or 1 2 …. Default: decimal. */
  noteNumbers?: NoteNumbers
  /** Prepared images by site file name (the URL the images stage gave each Markdown image). */
  images?: ReadonlyMap<string, ImageView>
  /** Highlights fenced code; without it code stays plain. */
  highlight?: Highlight
}

const toHtml = unified().use(rehypeStringify, {
  allowDangerousHtml: true,
  characterReferences: { useNamedReferences: false },
})

/** Convert one chapter to hast. Figures, tables, callouts, references and notes are laid out here. */
export function renderChapter(tree: MdastRoot, model: BookModel, options: RenderOptions = {}): HastRoot {
  const chapter = model.chapters.find((c) => c.tree === tree)
  const prefix = chapter ? `${chapter.id}-` : ''
  prepareMdast(tree, model)
  const result = toHast(prefix).runSync(tree as never) as HastRoot
  finishHast(result, model)
  keepNumbersWithUnits(result)
  wrapDashes(result)
  markLatinEmphasis(result)
  numberNotes(result, prefix, options.noteNumbers ?? 'decimal', model.labels)
  if (options.images) placeImages(result, options.images)
  if (options.highlight) highlightCode(result, options.highlight)
  return result
}

/** Serialise hast to HTML. */
export function stringify(tree: HastRoot): string {
  return toHtml.stringify(tree)
}

function prepareMdast(tree: MdastRoot, model: BookModel): void {
  visit(tree, (node, index, parent) => {
    if (node.type === 'yaml') {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
    }
    if (node.type === 'leafDirective' && node.name === 'callout') {
      const directive = node as LeafDirective
      directive.data = { hName: 'p', hProperties: { className: ['callout'] } }
      return SKIP
    }
    if (node.type === 'leafDirective' || node.type === 'containerDirective') {
      const directive = node as LeafDirective | ContainerDirective
      const entry = directive.data?.float
      if (!entry) return
      if (directive.type === 'leafDirective') {
        directive.data = { hName: 'figure', hProperties: { id: entry.id, className: ['figure'] }, hChildren: [] }
      } else {
        directive.children = directive.children.filter((child) => child.type === 'table')
        directive.data = { hName: 'div', hProperties: { id: entry.id, className: ['table-block'] } }
      }
      return SKIP
    }
    if (node.type === 'text' && parent && index !== undefined && parent.type !== 'link') {
      const pieces = splitReferences(node as Text, model)
      if (pieces) {
        parent.children.splice(index, 1, ...(pieces as never[]))
        return [SKIP, index + pieces.length]
      }
    }
    return undefined
  })
}

/** Split a text node around `@fig-…`/`@tbl-…` references into text and links. */
function splitReferences(node: Text, model: BookModel): PhrasingContent[] | undefined {
  const pieces: PhrasingContent[] = []
  let last = 0
  for (const match of node.value.matchAll(REFERENCE)) {
    const target = model.targets.get(match[1]!)
    if (!target?.entry) continue
    if (match.index! > last) pieces.push({ type: 'text', value: node.value.slice(last, match.index) })
    const link: Link = {
      type: 'link',
      url: `#${target.entry.id}`,
      children: [{ type: 'text', value: target.entry.label }],
      data: { hProperties: { className: ['xref'] } },
    }
    pieces.push(link)
    last = match.index! + match[0].length
  }
  if (pieces.length === 0) return undefined
  if (last < node.value.length) pieces.push({ type: 'text', value: node.value.slice(last) })
  return pieces
}

function finishHast(tree: HastRoot, model: BookModel): void {
  const floats = new Map([...model.figures, ...model.tables].map((entry) => [entry.id, entry]))
  visit(tree, 'element', (node: Element) => {
    const id = typeof node.properties.id === 'string' ? node.properties.id : undefined
    const entry = id ? floats.get(id) : undefined
    const classes = node.properties.className
    if (entry && node.tagName === 'figure' && Array.isArray(classes) && classes.includes('figure')) {
      node.children = [
        h('figcaption', {}, [
          h('span', { className: ['float-label'] }, [text(entry.label)]),
          text(` ${entry.caption}`),
        ]),
        // Empty until the rendition puts the figure's SVG in: see `chapterHtml`.
        h('div', { className: ['figure-body'] }, []),
        ...(entry.note ? [h('p', { className: ['figure-note'] }, [text(entry.note)])] : []),
        ...(entry.source ? [h('p', { className: ['source'] }, [text(`${model.labels.source}${entry.source}`)])] : []),
      ]
      return SKIP
    }
    if (entry && node.tagName === 'div' && Array.isArray(classes) && classes.includes('table-block')) {
      const table = node.children.find(
        (child): child is Element => child.type === 'element' && child.tagName === 'table',
      )
      if (table) layoutTable(table, entry, model.labels)
      if (entry.note) node.children.push(h('p', { className: ['figure-note'] }, [text(entry.note)]))
      if (entry.source)
        node.children.push(h('p', { className: ['source'] }, [text(`${model.labels.source}${entry.source}`)]))
      return SKIP
    }
    return undefined
  })
}
