/** Building hast nodes by hand, for the engine's own markup. */
import type { Element, ElementContent } from 'hast'

/** An element. */
export function h(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children }
}

/** A text node. */
export function text(value: string): ElementContent {
  return { type: 'text', value }
}
