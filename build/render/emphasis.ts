/**
 * Emphasis in a Latin run. Chinese emphasis is 着重号 (dots beside each character), which Latin letters do not take:
 * their convention is italics. An `em` or `i` whose text has Latin letters and no CJK character gets the class
 * `latin`, so that a stylesheet can set it in italics inside Chinese text (the default theme does).
 */
import type { Element, Root as HastRoot } from 'hast'
import { toString } from 'hast-util-to-string'
import { visit } from 'unist-util-visit'

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u

/** Mark the emphasis that holds only Latin text (and digits, spaces, punctuation). */
export function markLatinEmphasis(tree: HastRoot): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'em' && node.tagName !== 'i') return
    const text = toString(node)
    if (/\p{Script=Latin}/u.test(text) && !CJK.test(text)) {
      const classes = Array.isArray(node.properties.className) ? node.properties.className : []
      node.properties.className = [...classes, 'latin']
    }
  })
}
