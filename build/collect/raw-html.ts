/** Raw HTML in a chapter: it may not load anything from outside the book. */
import type { Html } from 'mdast'
import type { Diagnostics } from '../diagnostics.ts'
import { placeInside } from './nodes.ts'

/**
 * Attributes through which HTML loads a resource, with a URL that leaves the book. The sanitiser keeps http(s) and
 * `//host` URLs in `src`.
 */
const EXTERNAL_RESOURCE = /\s(?:src|srcset|poster|data|background)\s*=\s*["']?\s*((?:https?:|\/\/)[^"'\s>]*)/gi

/**
 * Raw HTML may not load anything from the network: the site contacts no third-party host, and the print step blocks it.
 */
export function checkRawHtml(node: Html, file: string, diagnostics: Diagnostics): void {
  if (/^\s*<!--/.test(node.value)) return
  for (const match of node.value.matchAll(EXTERNAL_RESOURCE)) {
    const url = match[1]!
    const place = placeInside(node, match.index! + match[0].indexOf(url))
    diagnostics.error(
      file,
      `Raw HTML loads ${url} from the network; the book must be self-contained (its site contacts no third-party ` +
        `host, and printing may load nothing from outside). Remove it, or draw the picture as a figure`,
      'html:external-resource',
      place,
    )
  }
}
