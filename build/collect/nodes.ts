/** Reading mdast nodes: their text, their directive labels and their positions. */
import type { PhrasingContent, RootContent } from 'mdast'
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive'
import { positionAt, type Position } from '../diagnostics.ts'

/** The label children of a leaf or container directive (`[…]`). */
export function directiveLabel(directive: LeafDirective | ContainerDirective): PhrasingContent[] | undefined {
  if (directive.type === 'leafDirective') return directive.children.length > 0 ? directive.children : undefined
  const first = directive.children[0]
  if (first && first.type === 'paragraph' && first.data?.directiveLabel) return first.children
  return undefined
}

/** The text of phrasing content, without markup. */
export function plainText(nodes: readonly (PhrasingContent | RootContent)[]): string {
  let text = ''
  for (const node of nodes) {
    if ('value' in node && typeof node.value === 'string' && node.type !== 'html') text += node.value
    else if ('children' in node) text += plainText(node.children as PhrasingContent[])
  }
  return text
}

/** 1 → 一, 12 → 十二, 20 → 二十. */
export function chineseNumeral(n: number): string {
  const digits = '零一二三四五六七八九'
  if (n < 10) return digits[n]!
  if (n < 20) return `十${n % 10 ? digits[n % 10] : ''}`
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`
  return String(n)
}

/** Where a node starts. */
export function start(node: { position?: { start: { line: number; column: number } } }): Position | undefined {
  return node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined
}

/** The position of a character inside a node's `value`. */
export function placeInside(
  node: { value: string; position?: { start: { line: number; column: number } } },
  offset: number,
): Position | undefined {
  const begin = node.position?.start
  if (!begin) return undefined
  const inNode = positionAt(node.value, offset)
  return {
    line: begin.line + inNode.line - 1,
    column: inNode.line === 1 ? begin.column + inNode.column - 1 : inNode.column,
  }
}
