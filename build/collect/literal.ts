/**
 * Everyday colons (10:30, host:6379, 1:2) parse as text directives. A text
 * directive that the author cannot have meant as one (no `[label]`, no
 * `{attributes}`, a name the engine does not know) goes back to being text.
 */
import type { Parent, Root, RootContent, Text } from 'mdast'
import { visit } from 'unist-util-visit'

/**
 * Turn bare unknown text directives back into the text they were written as, and merge the text around them, so that
 * later steps (references, e-mail addresses) see the sentence as written.
 */
export function restoreLiteralColons(tree: Root, source: string, known: ReadonlySet<string>): void {
  visit(tree, (node) => {
    if (!('children' in node)) return undefined
    if (!(node as Parent).children.some((child) => isBareUnknown(child, source, known))) return undefined
    const merged: RootContent[] = []
    for (const child of (node as Parent).children) {
      const piece = isBareUnknown(child, source, known) ? asText(child) : child
      const previous = merged.at(-1)
      if (piece.type === 'text' && previous?.type === 'text') mergeInto(previous, piece)
      else merged.push(piece)
    }
    ;(node as Parent).children = merged
    return undefined
  })
}

/** Written as `:name` and nothing else: no label, no attributes, and not one of the engine's directives. */
function isBareUnknown(node: RootContent, source: string, known: ReadonlySet<string>): boolean {
  if (node.type !== 'textDirective' || known.has(node.name)) return false
  const { start, end } = node.position ?? {}
  if (start?.offset === undefined || end?.offset === undefined) return false
  return source.slice(start.offset, end.offset) === `:${node.name}`
}

function asText(node: RootContent): Text {
  const name = node.type === 'textDirective' ? node.name : ''
  return { type: 'text', value: `:${name}`, position: node.position }
}

function mergeInto(previous: Text, next: Text): void {
  previous.value += next.value
  if (previous.position && next.position) previous.position = { ...previous.position, end: next.position.end }
}
