/**
 * Fenced code highlighted at build time (shiki with its Oniguruma engine,
 * the regex engine TextMate grammars are written for; no client-side
 * script). Only the languages a book uses are loaded; a fence without a known
 * language stays plain.
 */
import type { Root as HastRoot, Element, Root } from 'hast'
import type { Root as MdastRoot, Code } from 'mdast'
import { visit, SKIP } from 'unist-util-visit'
import { bundledLanguages, bundledLanguagesAlias, createHighlighter } from 'shiki'

/** The theme: GitHub's light colours, readable on the report's white and in print. */
const THEME = 'github-light'

/** Turns code into a highlighted `<pre>`, or undefined for a language it does not know. */
export type Highlight = (code: string, lang: string) => Element | undefined

/** A highlighter for the languages the chapters' fences name. */
export async function codeHighlighter(trees: MdastRoot[]): Promise<Highlight> {
  const wanted = new Set<string>()
  for (const tree of trees) {
    visit(tree, 'code', (node: Code) => {
      const lang = node.lang?.toLowerCase()
      if (lang && known(lang)) wanted.add(lang)
    })
  }
  if (wanted.size === 0) return () => undefined
  const highlighter = await createHighlighter({
    themes: [THEME],
    langs: [...wanted],
  })
  return (code, lang) => {
    const name = lang.toLowerCase()
    if (!wanted.has(name)) return undefined
    // No time limit: by default shiki stops tokenizing a line after 500 ms, so a busy machine would colour the same
    // code differently, and two builds would differ.
    const root = highlighter.codeToHast(code, { lang: name, theme: THEME, tokenizeTimeLimit: 0 }) as Root
    const pre = root.children.find((node): node is Element => node.type === 'element' && node.tagName === 'pre')
    if (!pre) return undefined
    // The page's own styles set the box; the colours stay with the tokens.
    delete pre.properties.tabindex
    delete pre.properties.tabIndex
    // shiki names its classes under `class`; left beside `className`, the page would get two class attributes.
    delete pre.properties.class
    pre.properties.className = ['shiki', `language-${name}`]
    pre.properties.style = undefined
    return pre
  }
}

function known(lang: string): boolean {
  return lang in bundledLanguages || lang in bundledLanguagesAlias
}

/** Replace each fenced `<pre><code class="language-x">` with its highlighted form. */
export function highlightCode(tree: HastRoot, highlight: Highlight): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'pre' || !parent || index === undefined) return undefined
    const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code')
    const classes = Array.isArray(code?.properties.className) ? code.properties.className : []
    const lang = classes.map(String).find((name) => name.startsWith('language-'))
    if (!code || !lang) return SKIP
    const text = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('')
    const highlighted = highlight(text.replace(/\n$/, ''), lang.slice('language-'.length))
    if (highlighted) parent.children[index] = highlighted
    return SKIP
  })
}
