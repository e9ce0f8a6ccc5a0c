/** Tables: caption, header scopes, the print rendition's continuation row, and bullet lists inside cells. */
import type { Element, ElementContent } from 'hast'
import { visit } from 'unist-util-visit'
import type { FloatEntry } from '../collect/model.ts'
import { LABELS } from '../labels.ts'
import { h, text } from './hast.ts'

/** Caption, header scopes, a continuation row for the print rendition, and bullet lists inside cells. */
export function layoutTable(table: Element, entry: FloatEntry): void {
  const thead = table.children.find((c): c is Element => c.type === 'element' && c.tagName === 'thead')
  let columns = 1
  if (thead) {
    const headerRow = thead.children.find((c): c is Element => c.type === 'element' && c.tagName === 'tr')
    if (headerRow) {
      const cells = headerRow.children.filter((c): c is Element => c.type === 'element')
      columns = cells.length
      for (const cell of cells) cell.properties.scope = 'col'
    }
    thead.children.unshift(
      h('tr', { className: ['continued'], ariaHidden: 'true' }, [
        h('td', { colSpan: columns }, [text(`${entry.label}${LABELS.continued}`)]),
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
