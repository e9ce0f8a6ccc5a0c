/** Building hast nodes by hand, for the engine's own markup. */
import type { Element, ElementContent, Root } from 'hast'
import { SKIP, visit } from 'unist-util-visit'

/** An element. */
export function h(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children }
}

/** A text node. */
export function text(value: string): ElementContent {
  return { type: 'text', value }
}

/** Elements whose text is not running prose: code keeps its characters, and figures are drawn. */
const NOT_PROSE = new Set(['code', 'pre', 'svg', 'script', 'style'])

/**
 * Wrap every match of `pattern` (global) in the running text of `tree` in `<span class="{className}">`, leaving out
 * code, figures and spans of that class already.
 */
export function wrapMatches(tree: Root | Element, pattern: RegExp, className: string): void {
  visit(tree, (node, index, parent) => {
    if (node.type === 'element' && (NOT_PROSE.has(node.tagName) || hasClass(node, className))) return SKIP
    if (node.type !== 'text' || !parent || index === undefined) return undefined
    const pieces: ElementContent[] = []
    let last = 0
    for (const match of node.value.matchAll(pattern)) {
      if (match.index > last) pieces.push(text(node.value.slice(last, match.index)))
      pieces.push(h('span', { className: [className] }, [text(match[0])]))
      last = match.index + match[0].length
    }
    if (pieces.length === 0) return undefined
    if (last < node.value.length) pieces.push(text(node.value.slice(last)))
    parent.children.splice(index, 1, ...(pieces as never[]))
    return [SKIP, index + pieces.length]
  })
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className
  return Array.isArray(classes) && classes.includes(name)
}
