/**
 * Deep links for the site rendition of a chapter: every heading, figure
 * caption and table caption gets an id and becomes a link to itself (the way
 * MDN marks them, so a heading's accessible name stays its text). From the
 * same pass come the page's "on this page" outline, its search records and
 * its description.
 */
import type { Root as HastRoot, Element, ElementContent, RootContent } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit, SKIP } from 'unist-util-visit'
import type { SearchRecord } from './search.ts'

export interface OutlineEntry {
  id: string
  title: string
  children: OutlineEntry[]
}

export interface SitePage {
  tree: HastRoot
  outline: OutlineEntry[]
  records: SearchRecord[]
  /** The page's opening sentence(s), for its meta description; empty when it has no paragraph. */
  description: string
}

export interface SitePageInfo {
  /** Page file stem, e.g. `part-1`; also the id of the page's own heading, where its opening text links to. */
  id: string
  /** How search results name the page, e.g. `第一部分 浪潮来袭`. */
  name: string
  /** Section labels by heading id, e.g. `part-1-s2` → `（二）发展环境`. */
  sections: Map<string, string>
}

/** How long a page description may be, in characters (search engines show about this much of a CJK one). */
const DESCRIPTION_LENGTH = 110

/**
 * Add ids and self-links to a copy of a chapter's hast (lead lines get
 * `<section id>-<n>`), and read its outline, search records and description.
 */
export function prepareSitePage(source: HastRoot, page: SitePageInfo): SitePage {
  const tree = structuredClone(source)
  const outline: OutlineEntry[] = []
  const records: SearchRecord[] = []
  let section = { id: page.id, label: '' }
  let leadCount = 0
  let block: SearchRecord = { url: `${page.id}.html#${page.id}`, part: page.name, section: '', heading: '', text: '' }
  const flush = () => {
    block.text = block.text.replace(/\s+/g, ' ').trim()
    if (block.text || block.heading) records.push(block)
  }
  for (const node of tree.children) {
    const heading = node.type === 'element' && /^h[2-6]$/.test(node.tagName) ? node : undefined
    if (!heading) {
      block.text += ` ${blockText(node)}`
      continue
    }
    const title = toString(heading).trim()
    if (heading.tagName === 'h2') {
      const id = typeof heading.properties.id === 'string' ? heading.properties.id : `${page.id}-h${outline.length + 1}`
      heading.properties.id = id
      section = { id, label: page.sections.get(id) ?? title }
      leadCount = 0
      outline.push({ id, title, children: [] })
    } else {
      leadCount += 1
      heading.properties.id ??= `${section.id}-${leadCount}`
      const entry = { id: String(heading.properties.id), title, children: [] }
      const parent = outline.at(-1)
      if (parent && section.id === parent.id) parent.children.push(entry)
      else outline.push(entry)
    }
    selfLink(heading, String(heading.properties.id))
    flush()
    block = {
      url: `${page.id}.html#${String(heading.properties.id)}`,
      part: page.name,
      section: section.label,
      heading: heading.tagName === 'h2' ? section.label : title,
      text: '',
    }
  }
  flush()
  visit(tree, 'element', (node: Element, _index, parent) => {
    if (node.tagName === 'table') labelCells(node)
    if ((node.tagName === 'figcaption' || node.tagName === 'caption') && parent?.type === 'element') {
      const owner = node.tagName === 'figcaption' ? parent : findAncestorId(tree, parent)
      if (owner && typeof owner.properties.id === 'string') selfLink(node, owner.properties.id)
      return SKIP
    }
    return undefined
  })
  return { tree, outline, records, description: describe(tree) }
}

/** Give each body cell its column's name (`data-label`), for tables laid out as stacked cards on narrow screens. */
function labelCells(table: Element): void {
  const rows: Element[] = []
  visit(table, 'element', (node: Element) => {
    if (node.tagName === 'tr') rows.push(node)
  })
  const header = rows.find((row) => row.children.some((cell) => cell.type === 'element' && cell.tagName === 'th'))
  if (!header) return
  const names = header.children
    .filter((cell): cell is Element => cell.type === 'element')
    .map((cell) => toString(cell).trim())
  for (const row of rows) {
    if (row === header) continue
    row.children
      .filter((cell): cell is Element => cell.type === 'element' && cell.tagName === 'td')
      .forEach((cell, i) => {
        if (names[i]) cell.properties.dataLabel = names[i]
      })
  }
}

/** Wrap an element's content in a link to `#id`. */
function selfLink(node: Element, id: string): void {
  node.children = [
    {
      type: 'element',
      tagName: 'a',
      properties: { className: ['anchor'], href: `#${id}` },
      children: node.children as ElementContent[],
    },
  ]
}

/** The table block (`div.table-block[id]`) that holds a table. */
function findAncestorId(tree: HastRoot, table: Element): Element | undefined {
  let found: Element | undefined
  visit(tree, 'element', (node: Element) => {
    if (found) return SKIP
    if (typeof node.properties.id === 'string' && node.children.includes(table)) found = node
    return undefined
  })
  return found
}

function blockText(node: RootContent): string {
  return node.type === 'element' || node.type === 'text' ? toString(node) : ''
}

/** The first ordinary paragraph, cut at a sentence end within the length limit. */
function describe(tree: HastRoot): string {
  const paragraph = tree.children.find(
    (node): node is Element =>
      node.type === 'element' && node.tagName === 'p' && !String(node.properties.className ?? '').includes('callout'),
  )
  const text = paragraph ? toString(paragraph).replace(/\s+/g, ' ').trim() : ''
  if (text.length <= DESCRIPTION_LENGTH) return text
  const cut = text.slice(0, DESCRIPTION_LENGTH)
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('；'))
  return end > DESCRIPTION_LENGTH / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, DESCRIPTION_LENGTH - 1)}…`
}
