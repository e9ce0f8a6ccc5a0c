/**
 * Hyphenation for the PDF. Chromium prints with no hyphenation dictionaries (they are a downloaded component), so
 * `hyphens: auto` does nothing there: the print rendition gets soft hyphens from Liang's patterns (the `hyphen`
 * package) in the running text of books in a language it has patterns for. Chinese books get none. The site keeps
 * the text as written: readers' browsers hyphenate it themselves.
 */
import { createRequire } from 'node:module'
import type { Element, Root as HastRoot } from 'hast'
import type { HyphenationFunctionSync } from 'hyphen'
import { SKIP, visit } from 'unist-util-visit'

const require = createRequire(import.meta.url)

/** Where words may break: the text of body paragraphs and list items, not headings, captions, tables or code. */
const HYPHENATED = new Set(['p', 'li'])
const KEPT_WHOLE = new Set(['code', 'pre', 'kbd', 'samp', 'table', 'figure'])

/** The soft-hyphen inserter for a language (`en`, `en-GB`, `de` …), or undefined for Chinese and unknown languages. */
export function hyphenator(language: string): HyphenationFunctionSync | undefined {
  const tag = language.toLowerCase()
  if (/^zh\b/.test(tag)) return undefined
  for (const candidate of [tag, tag.split('-')[0]!]) {
    if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(candidate)) continue
    try {
      return (require(`hyphen/${candidate}`) as { hyphenateSync: HyphenationFunctionSync }).hyphenateSync
    } catch {
      // No patterns for this tag: try the primary subtag.
    }
  }
  return undefined
}

/** Put soft hyphens into the running text of a chapter's hast (a copy made for the print rendition). */
export function hyphenateTree(tree: HastRoot, hyphenate: HyphenationFunctionSync): void {
  visit(tree, 'element', (node: Element) => {
    if (KEPT_WHOLE.has(node.tagName)) return SKIP
    if (!HYPHENATED.has(node.tagName) || node.properties.className) return undefined
    visit(node, (child) => {
      if (child.type === 'element' && KEPT_WHOLE.has(child.tagName)) return SKIP
      if (child.type === 'text') child.value = hyphenate(child.value, { minWordLength: 7 })
      return undefined
    })
    return SKIP
  })
}
