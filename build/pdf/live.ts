/**
 * Reprinting without reloading. Between print passes only the index's page
 * numbers change, so the next pass edits the document that is still loaded
 * instead of loading, styling and laying out the whole book again. The
 * finished PDF is the same, byte for byte, as after a reload (measured), and
 * the read-back still checks every number.
 */
import type { Page } from 'puppeteer-core'

/**
 * Make the document loaded in `page` equal to `html` by changing text and
 * attribute values in place (an empty number slot gets its text). Returns
 * false, having changed nothing, when the two differ in anything else (the
 * head, the elements, their order), so that the caller loads `html` afresh.
 */
export function updateInPlace(page: Page, html: string): Promise<boolean> {
  return page.evaluate((html: string) => {
    const next = new DOMParser().parseFromString(html, 'text/html')
    if (!next.head.isEqualNode(document.head)) return false
    const live = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT)
    const wanted = next.createTreeWalker(next.documentElement, NodeFilter.SHOW_ELEMENT)
    const ownNodes = (element: Element) => [...element.childNodes].filter((node) => !(node instanceof Element))
    const edits: (() => void)[] = []
    for (let a: Node | null = live.currentNode, b: Node | null = wanted.currentNode; a || b;) {
      if (!(a instanceof Element) || !(b instanceof Element)) return false
      if (a.nodeName !== b.nodeName || a.childElementCount !== b.childElementCount) return false
      const element = a
      for (const name of new Set([...a.getAttributeNames(), ...b.getAttributeNames()])) {
        const value = b.getAttribute(name)
        if (a.getAttribute(name) !== value)
          edits.push(() => (value === null ? element.removeAttribute(name) : element.setAttribute(name, value)))
      }
      const have = ownNodes(a)
      const want = ownNodes(b)
      if (have.length === want.length && have.every((node, k) => node.nodeType === want[k]!.nodeType)) {
        for (const [k, node] of have.entries()) {
          const value = want[k]!.nodeValue
          if (node.nodeValue !== value) edits.push(() => (node.nodeValue = value))
        }
      } else if (a.childElementCount === 0 && want.every((node) => node.nodeType === Node.TEXT_NODE)) {
        const text = b.textContent
        edits.push(() => (element.textContent = text))
      } else return false
      a = live.nextNode()
      b = wanted.nextNode()
    }
    for (const edit of edits) edit()
    return true
  }, html)
}
