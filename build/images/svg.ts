/**
 * An author's SVG goes inline into the pages, so that its text is set in the
 * book font (an `<img>` SVG cannot use the page's web fonts). Inline markup
 * runs with the page's rights, so an SVG that could run script or load
 * anything is refused rather than rewritten.
 */
import { finalizeSvg, normalizeSvg } from '../figures/svg.ts'

/** What an inline SVG may not contain: script, event handlers, embedded HTML, or references outside itself. */
const UNSAFE: [RegExp, string][] = [
  [/<script\b/i, 'a <script> element'],
  [/<foreignObject\b/i, 'a <foreignObject> element'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute (on…=)'],
  [/\s(?:xlink:)?href\s*=\s*["']\s*(?!#)[^"']/i, 'a link or reference to something outside the SVG'],
  [/url\(\s*["']?\s*(?!#)/i, 'a url(…) outside the SVG'],
  [/<!ENTITY\b/i, 'an XML entity declaration'],
]

/** Why the SVG cannot be inlined, or undefined when it can. */
export function unsafeSvgReason(svg: string): string | undefined {
  for (const [pattern, what] of UNSAFE) if (pattern.test(svg)) return what
  return undefined
}

/**
 * The SVG ready to inline: prolog and comments dropped, ids prefixed with `id` so that several SVGs and the page
 * cannot clash, text in the book's family, and an accessible name from `title`.
 */
export function inlineSvg(svg: string, options: { id: string; title: string; fontFamily: string }): string {
  const body = svg
    .replace(/<\?xml[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/gi, '')
    .trim()
    .replace(/<title\b[^>]*>[\s\S]*?<\/title>|<desc\b[^>]*>[\s\S]*?<\/desc>/gi, '')
  const normalized = normalizeSvg(body, { fontFamily: options.fontFamily, description: options.title })
  return finalizeSvg(normalized, { id: options.id, title: options.title })
}
