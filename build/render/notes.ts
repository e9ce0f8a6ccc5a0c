/**
 * Notes as the book prints them: numbered per chapter (①②… drawn by CSS in
 * Chinese books, since CJK book fonts often lack the circled digits; 1 2 …
 * otherwise), with ids that do not depend on the author's labels, and a
 * back-link that is the note's own number instead of a ↩ the font may lack.
 */
import type { Root as HastRoot, Element, ElementContent } from 'hast'
import { visit } from 'unist-util-visit'
import type { Labels } from '../labels.ts'
import { h, text } from './hast.ts'

export type NoteNumbers = 'circled' | 'decimal'

/** ①②… in Chinese books unless the config says otherwise, 1 2 … in others. */
export function noteNumbering(config: { noteNumbers?: NoteNumbers; language: string }): NoteNumbers {
  return config.noteNumbers ?? (/^zh\b/i.test(config.language) ? 'circled' : 'decimal')
}

/**
 * Renumber the notes remark-rehype made for one chapter (ids under `prefix`): references in the text and the list at
 * the end get numbers and ids `<prefix>note-1`, `<prefix>note-ref-1`; each note starts with its number, linking back.
 */
export function numberNotes(tree: HastRoot, prefix: string, style: NoteNumbers, labels: Labels): void {
  const section = tree.children.find(
    (node): node is Element => node.type === 'element' && node.tagName === 'section' && hasClass(node, 'footnotes'),
  )
  if (!section) return
  const list = section.children.find((node): node is Element => node.type === 'element' && node.tagName === 'ol')
  const items = (list?.children ?? []).filter(
    (node): node is Element => node.type === 'element' && node.tagName === 'li',
  )
  const noteIds = new Map(items.map((item, i) => [`#${String(item.properties.id)}`, i + 1]))
  const refIds = new Map<string, string>()
  const uses = new Map<number, number>()
  visit(tree, 'element', (node: Element) => {
    const href = typeof node.properties.href === 'string' ? node.properties.href : ''
    const number = node.tagName === 'a' ? noteIds.get(href) : undefined
    if (number === undefined) return
    const use = (uses.get(number) ?? 0) + 1
    uses.set(number, use)
    const id = `${prefix}note-ref-${number}${use > 1 ? `-${use}` : ''}`
    refIds.set(`#${String(node.properties.id)}`, id)
    node.properties = {
      href: `#${prefix}note-${number}`,
      id,
      className: ['note-ref', `note-${style}`],
      ariaDescribedBy: [`${prefix}notes-title`],
    }
    node.children = [text(String(number))]
  })
  for (const [index, item] of items.entries()) renumberItem(item, index + 1, { prefix, style, labels }, refIds)
  for (const node of section.children) {
    if (node.type === 'element' && node.properties.id === 'footnote-label') {
      node.properties = { id: `${prefix}notes-title`, className: ['notes-title'] }
      node.children = [text(labels.notes)]
    }
  }
  section.properties = { className: ['footnotes'], ariaLabelledBy: [`${prefix}notes-title`] }
}

/** A note starts with its number, which links back to the (first) reference; remark-rehype's ↩ links go. */
function renumberItem(
  item: Element,
  number: number,
  { prefix, style, labels }: { prefix: string; style: NoteNumbers; labels: Labels },
  refs: Map<string, string>,
) {
  let back: string | undefined
  visit(item, 'element', (node: Element, index, parent) => {
    const href = typeof node.properties.href === 'string' ? node.properties.href : ''
    if (node.tagName !== 'a' || !refs.has(href) || !parent || index === undefined) return undefined
    back ??= refs.get(href)
    parent.children.splice(index, 1)
    const before = parent.children[index - 1]
    if (before?.type === 'text') before.value = before.value.replace(/\s+$/, '')
    return index
  })
  item.properties = { id: `${prefix}note-${number}` }
  const mark = h(
    'a',
    { href: `#${back ?? ''}`, className: ['note-back', `note-${style}`], ariaLabel: `${labels.backToText} ${number}` },
    [text(String(number))],
  )
  const first = item.children.find((node): node is Element => node.type === 'element')
  const target: ElementContent[] = first?.tagName === 'p' ? first.children : item.children
  target.unshift(mark, text(' '))
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}
