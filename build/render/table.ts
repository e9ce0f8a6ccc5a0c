/** Tables: caption, header scopes, the print rendition's continuation row, and bullet lists inside cells. */
import type { Element, ElementContent } from 'hast'
import { visit } from 'unist-util-visit'
import type { FloatEntry } from '../collect/model.ts'
import type { Labels } from '../labels.ts'
import { h, text } from './hast.ts'

/** Caption, header scopes, a continuation row for the print rendition, and bullet lists inside cells. */
export function layoutTable(table: Element, entry: FloatEntry, labels: Labels): void {
  const thead = table.children.find((c): c is Element => c.type === 'element' && c.tagName === 'thead')
  let columns = 1
  if (thead) {
    const headerRow = thead.children.find((c): c is Element => c.type === 'element' && c.tagName === 'tr')
    if (headerRow) {
      const cells = headerRow.children.filter((c): c is Element => c.type === 'element')
      columns = cells.length
      for (const cell of cells) {
        // An empty header cell (the corner above a column of row names) heads nothing: a plain cell, so that no
        // screen reader meets a header without a name. It holds a no-break space, as Chromium tags no cell without
        // text, and a header row a cell short fails PDF/UA (7.2: every row spans the table's columns).
        if (cell.tagName === 'th' && textOf(cell).trim() === '') {
          cell.tagName = 'td'
          cell.children = [text('\u00a0')]
        } else cell.properties.scope = 'col'
      }
    }
    thead.children.unshift(
      h('tr', { className: ['continued'], ariaHidden: 'true' }, [
        h('td', { colSpan: columns }, [text(`${entry.label}${labels.continued}`)]),
      ]),
    )
  }
  table.children.unshift(
    h('caption', {}, [h('span', { className: ['float-label'] }, [text(entry.label)]), text(` ${entry.caption}`)]),
  )
  visit(table, 'element', (cell: Element) => {
    if (cell.tagName !== 'td') return
    const list = bulletList(cell.children)
    if (list) cell.children = [list]
  })
}

/** A column whose every cell is this many characters or fewer is kept on one line. */
const SHORT_COLUMN = 8

/**
 * Column widths from the content, not fixed ems: a column of short cells (dates, names) never wraps, so that no
 * cell breaks into a lone character; the other columns share the width by the square root of their mean cell
 * length, so that a long column gets more room without starving a medium one. For the page; the site lays its
 * tables out for the reader's screen.
 */
export function sizeColumns(table: Element): void {
  const rows: Element[][] = []
  visit(table, 'element', (row: Element) => {
    if (row.tagName !== 'tr' || hasClass(row, 'continued')) return
    rows.push(row.children.filter((c): c is Element => c.type === 'element' && ['td', 'th'].includes(c.tagName)))
  })
  const columns = Math.max(0, ...rows.map((row) => row.length))
  if (columns < 2 || rows.some((row) => row.length !== columns)) return
  const lengths = Array.from({ length: columns }, (_, i) => rows.map((row) => visibleWidth(textOf(row[i]!))))
  const short = lengths.map((column) => Math.max(...column) <= SHORT_COLUMN)
  const weights = lengths.map((column, i) => (short[i] ? 0 : Math.sqrt(mean(column) + 1)))
  const total = weights.reduce((a, b) => a + b, 0)
  for (const row of rows) row.forEach((cell, i) => short[i] && addClass(cell, 'nowrap'))
  if (total === 0) return
  const cols = weights.map((weight) =>
    h('col', weight ? { style: `width: ${((weight / total) * 100).toFixed(1)}%` } : {}, []),
  )
  const at = table.children.findIndex((c) => c.type === 'element' && c.tagName === 'caption') + 1
  table.children.splice(at, 0, h('colgroup', {}, cols))
}

/** Width in ems: a Han character or full-width sign is one, a Latin letter or digit about half. */
function visibleWidth(text: string): number {
  let width = 0
  for (const char of text.replace(/\s+/g, ' ').trim())
    width += /[\p{Script=Latin}\p{N}\p{P}\s]/u.test(char) && char.codePointAt(0)! < 0x2000 ? 0.55 : 1
  return width
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  return node.type === 'element' ? node.children.map(textOf).join('') : ''
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}

function addClass(node: Element, name: string): void {
  const classes = Array.isArray(node.properties.className) ? node.properties.className : []
  node.properties.className = [...classes, name]
}

const BULLET = /(?:^|\s)•\s+/

/** A cell written as `• one • two` becomes a real list. */
function bulletList(children: ElementContent[]): Element | undefined {
  const first = children[0]
  if (!first || first.type !== 'text' || !/^\s*•\s/.test(first.value)) return undefined
  const items: ElementContent[][] = []
  for (const child of children) {
    if (child.type !== 'text') {
      items.at(-1)?.push(child)
      continue
    }
    const parts = child.value.split(BULLET)
    parts.forEach((part, i) => {
      if (i > 0) items.push([])
      if (part) items.at(-1)?.push(text(part))
    })
  }
  const cleaned = items
    .map((item) => {
      const last = item.at(-1)
      if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '')
      return item
    })
    .filter((item) => item.length > 0)
  return h(
    'ul',
    { className: ['cell-list'] },
    cleaned.map((item) => h('li', {}, item)),
  )
}
