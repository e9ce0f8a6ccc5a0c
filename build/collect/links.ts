/**
 * Links between chapters: `03-codebase.md`, `other.md#heading-slug`, `#fig-x`.
 * Each is checked against the book model and rewritten to the element id it
 * names (`#part-2-s1`), which the site turns into `<page>.html#…` and the
 * print document keeps as an internal link. So no chapter file name, and no
 * local path, reaches any output.
 */
import path from 'node:path'
import type { Definition, Link } from 'mdast'
import { visit } from 'unist-util-visit'
import { didYouMean, type Diagnostics } from '../diagnostics.ts'
import type { BookModel, Chapter } from './model.ts'
import { start } from './nodes.ts'

/** A URL with a scheme (`https:`, `mailto:`) or a host (`//host`) leaves the book: not ours to check. */
const EXTERNAL = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/\/)/

/** Check every local link of every chapter; rewrite the good ones to `#element-id`, report the others. */
export function checkLinks(model: BookModel, diagnostics: Diagnostics): void {
  const byFile = new Map(model.chapters.map((chapter) => [chapter.file, chapter]))
  for (const chapter of model.chapters) {
    // A definition (`[ref]: url`) is a link only where a `[text][ref]` uses it; an image's is reported as an image.
    const linked = new Set<string>()
    visit(chapter.tree, 'linkReference', (node) => void linked.add(node.identifier))
    visit(chapter.tree, (node) => {
      if (node.type !== 'link' && (node.type !== 'definition' || !linked.has(node.identifier))) return
      const resolved = resolveLink(node, chapter, model, byFile, diagnostics)
      if (resolved) node.url = `#${resolved}`
    })
  }
}

function resolveLink(
  node: Link | Definition,
  chapter: Chapter,
  model: BookModel,
  byFile: Map<string, Chapter>,
  diagnostics: Diagnostics,
): string | undefined {
  const url = node.url.trim()
  if (url === '' || EXTERNAL.test(url)) return undefined
  const hash = url.indexOf('#')
  const filePart = decode(hash < 0 ? url : url.slice(0, hash))
  const fragment = hash < 0 ? undefined : decode(url.slice(hash + 1))
  const place = start(node)
  const folder = path.posix.dirname(chapter.file)
  let target = chapter
  if (filePart !== '') {
    const file = path.posix.normalize(path.posix.join(folder, filePart))
    const found = byFile.get(file)
    if (!found) {
      const names = [...byFile.keys()].map((f) => path.posix.relative(folder, f))
      const guess = didYouMean(filePart, names)
      const message = filePart.endsWith('.md')
        ? `The link to \`${filePart}\` points at no chapter of the book${guess ? `; did you mean \`${guess}\`?` : ''}` +
          `${guess ? '' : `. Chapters are ${names.map((n) => `\`${n}\``).join(', ')}`}`
        : `The link to \`${filePart}\` points at a local file that is not a chapter; the book's outputs carry only ` +
          `its chapters, so link a chapter (\`other.md#heading\`), or the file's web address`
      diagnostics.error(chapter.file, message, 'link:missing-chapter', place)
      return undefined
    }
    target = found
  }
  if (fragment === undefined || fragment === '') return target.id
  const id = target.anchors.get(fragment) ?? (target === chapter ? globalId(model, fragment) : undefined)
  if (id) return id
  const guess = didYouMean(fragment, target.anchors.keys())
  const owner = target === chapter ? 'This chapter has' : `\`${path.posix.relative(folder, target.file)}\` has`
  diagnostics.error(
    chapter.file,
    `${owner} no heading or id \`${fragment}\`` +
      (guess
        ? `; did you mean \`#${guess}\`?`
        : '. Link a heading by its GitHub-style slug (`## III. 配置` → `#iii-配置`), or a figure or table by its id'),
    'link:missing-anchor',
    place,
  )
  return undefined
}

/** `#fig-x` in any chapter names a figure, table, section or chapter anywhere in the book. */
function globalId(model: BookModel, id: string): string | undefined {
  return model.targets.has(id) ? id : undefined
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
