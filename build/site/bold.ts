/**
 * Which characters the site sets in bold, so that the bold font subset
 * carries only those (a CJK bold face costs about 0.3 KB a character).
 *
 * The stylesheet says what is bold: every rule that sets a bold
 * `font-weight` (or `font`) is found with lightningcss, its selector is
 * matched against each page with hast-util-select, and the text of every
 * match (descendants included, as they inherit the weight) is collected.
 * Elements bold by the browser's defaults, and SVG text with a bold
 * `font-weight` attribute, count too. State (`:hover`) and pseudo-elements
 * are dropped from selectors, which can only add characters, never lose one.
 */
import { transform, type Declaration } from 'lightningcss'
import { fromHtml } from 'hast-util-from-html'
import { selectAll } from 'hast-util-select'
import { toString } from 'hast-util-to-string'
import type { Element, Root } from 'hast'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { writeAtomic } from '../write/files.ts'

/** Bold by the browser's own stylesheet, or by an SVG presentation attribute. */
const DEFAULT_BOLD = [
  'b',
  'strong',
  'th',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  ...['bold', 'bolder', '600', '700', '800', '900'].map((w) => `[font-weight="${w}"]`),
]

/** A box the stylesheet generates (`::before`), whose text comes from `content:`, not from the element. */
const GENERATED = /::?(?:before|after|marker)\b/

/** Pseudo-classes of state and pseudo-elements: removed before matching. */
const DYNAMIC =
  /::?(?:hover|focus-visible|focus-within|focus|active|visited|link|target|checked|open|before|after|marker|backdrop|placeholder|selection|details-content|-webkit-[\w-]+|-moz-[\w-]+)\b/g

/** Selectors of the rules in `css` that set a bold weight. */
export function boldSelectors(css: string): string[] {
  const lines = css.split('\n')
  const offsetOf = (line: number, column: number) =>
    lines.slice(0, line).reduce((n, text) => n + text.length + 1, 0) + column - 1
  const selectors: string[] = []
  transform({
    filename: 'site.css',
    code: Buffer.from(css),
    errorRecovery: true,
    visitor: {
      Rule: {
        style(rule) {
          if (rule.value.declarations.declarations.some(isBold)) {
            const start = offsetOf(rule.value.loc.line, rule.value.loc.column)
            selectors.push(css.slice(start, css.indexOf('{', start)).trim())
          }
          return undefined
        },
      },
    },
  })
  return selectors
}

function isBold(declaration: Declaration): boolean {
  const weight =
    declaration.property === 'font-weight'
      ? declaration.value
      : declaration.property === 'font'
        ? declaration.value.weight
        : undefined
  if (!weight) return false
  if (weight.type === 'bolder') return true
  if (weight.type !== 'absolute') return false
  return weight.value.type === 'bold' || (weight.value.type === 'weight' && weight.value.value >= 600)
}

/**
 * The text set in bold on the given pages (HTML, or trees), plus the stylesheet's own text (for `content:`
 * strings). A selector of a `::before`/`::after` box contributes its element's attribute values (for
 * `content: attr(…)`), not the element's text.
 */
export function boldText(pages: (string | Root)[], css: string): string {
  return [css, ...boldTextByPage(pages, css)].join('\n')
}

/** The text set in bold on each page, without the stylesheet's (see `boldText`). */
export function boldTextByPage(pages: (string | Root)[], css: string): string[] {
  const selectors = [...DEFAULT_BOLD, ...boldSelectors(css)].flatMap(splitList)
  const clean = (selector: string) => selector.replace(DYNAMIC, '').trim() || '*'
  const generated = selectors.filter((selector) => GENERATED.test(selector)).map(clean)
  // One pass over each page for all the element selectors (each selector alone when the list does not parse).
  const elements = selectors.filter((selector) => !GENERATED.test(selector)).map(clean)
  return pages.map((html) => {
    const tree = typeof html === 'string' ? fromHtml(html) : html
    const found: string[] = []
    for (const node of matchAll(elements.join(', '), elements, tree)) found.push(toString(node))
    for (const node of matchAll(generated.join(', '), generated, tree)) {
      found.push(node.type === 'element' ? Object.values(node.properties).join(' ') : toString(node))
    }
    return found.join('\n')
  })
}

/**
 * `boldText`, remembered in `cacheDir`: parsing and matching every page takes
 * about half a second, on every build. The key covers the pages, the
 * stylesheet and this module's own code, so that a change to how bold text
 * is found is never answered from an older cache.
 */
export async function cachedBoldText(pages: string[], css: string, cacheDir: string): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(import.meta.filename))
    .update('\0')
    .update(css)
  for (const page of pages) hash.update('\0').update(page)
  const file = path.join(cacheDir, `${hash.digest('hex')}.bold-text`)
  const cached = await fs.readFile(file, 'utf8').catch(() => undefined)
  if (cached !== undefined) return cached
  const text = boldText(pages, css)
  await fs.mkdir(cacheDir, { recursive: true })
  await writeAtomic(file, text)
  return text
}

/** Elements matching a selector list; on a list hast-util-select cannot read, its selectors one by one. */
function matchAll(list: string, selectors: string[], tree: Root): (Element | Root)[] {
  if (selectors.length === 0) return []
  try {
    return selectAll(list, tree)
  } catch {
    return selectors.flatMap((selector): (Element | Root)[] => {
      try {
        return selectAll(selector, tree)
      } catch {
        // A selector hast-util-select cannot read: count the whole page as bold rather than risk a missing glyph.
        return [tree]
      }
    })
  }
}

/** Split a selector list at its top-level commas (not those inside `:not(a, b)`). */
function splitList(list: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(' || list[i] === '[') depth++
    else if (list[i] === ')' || list[i] === ']') depth--
    else if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i))
      start = i + 1
    }
  }
  return [...parts, list.slice(start)].map((part) => part.trim()).filter(Boolean)
}
