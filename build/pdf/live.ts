/**
 * Reprinting without reloading. Between print passes only the index's page
 * numbers change, and the stylesheet's copyfit rules, so the next pass edits
 * the document that is still loaded instead of loading, styling and laying out
 * the whole book again. The
 * finished PDF is the same, byte for byte, as after a reload (measured), and
 * the read-back still checks every number.
 */
import type { Page } from 'puppeteer-core'

/**
 * Make the document loaded in `page` equal to `html` by changing text and
 * attribute values in place (an empty number slot gets its text) and the text
 * of the head's stylesheets. Returns false, having changed nothing, when the
 * two differ in anything else (the head's other elements, the body's elements,
 * their order), so that the caller loads `html` afresh.
 */
export function updateInPlace(page: Page, html: string): Promise<boolean> {
  return page.evaluate((html: string) => {
    const next = new DOMParser().parseFromString(html, 'text/html')
    const edits: (() => void)[] = []
    const [root, wantedRoot] = [document.documentElement, next.documentElement]
    const rootAttributes = root.getAttributeNames()
    if (rootAttributes.length !== wantedRoot.getAttributeNames().length) return false
    if (rootAttributes.some((name) => root.getAttribute(name) !== wantedRoot.getAttribute(name))) return false
    // The head may differ only in the text of its stylesheets (a copyfit plan is CSS), which is then replaced whole.
    const [liveHead, wantedHead] = [[...document.head.childNodes], [...next.head.childNodes]]
    if (liveHead.length !== wantedHead.length) return false
    for (const [k, node] of liveHead.entries()) {
      const want = wantedHead[k]!
      if (node.isEqualNode(want)) continue
      if (!(node instanceof HTMLStyleElement && want instanceof HTMLStyleElement)) return false
      if (node.attributes.length > 0 || want.attributes.length > 0) return false
      const css = want.textContent
      edits.push(() => (node.textContent = css))
    }
    const live = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT)
    const wanted = next.createTreeWalker(next.body, NodeFilter.SHOW_ELEMENT)
    const ownNodes = (element: Element) => [...element.childNodes].filter((node) => !(node instanceof Element))
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
