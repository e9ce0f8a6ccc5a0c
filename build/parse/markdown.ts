/**
 * Reading chapters: Markdown → mdast with front matter, GFM tables and
 * directives. Parsing is pure and cached by content, so a rebuild reparses
 * only the chapters that changed.
 */
import { createHash } from 'node:crypto'
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import { LineCounter, parseDocument } from 'yaml'
import { z } from 'zod'
import type { Root, Yaml } from 'mdast'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import { schemaIssues } from '../config/schema-issues.ts'
import { yamlNodeAt } from '../config/yaml.ts'

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).use(remarkFrontmatter, ['yaml'])

const frontMatterSchema = z.strictObject({
  /**
   * `chapter` (the default): a numbered chapter; `part`: a numbered part, with a title page when the book has
   * `partTitlePages`; `appendix`: numbered on its own (附录A, Appendix A); `front` (or `abstract`): unnumbered front
   * matter such as an abstract or a preface.
   */
  kind: z.enum(['chapter', 'part', 'appendix', 'front', 'abstract']).default('chapter'),
  title: z.string().min(1),
  /** The numeral as printed (for example 一), instead of the one the book's numbering gives. */
  numeral: z.string().min(1).optional(),
  subtitle: z.string().optional(),
})

export type FrontMatter = z.infer<typeof frontMatterSchema>

const treeCache = new Map<string, Root>()
const TREE_CACHE_ENTRIES = 200

/** Parse Markdown to mdast. Returns a fresh copy each time: callers may mutate it. */
export function parseMarkdown(text: string): Root {
  const key = createHash('sha256').update(text).digest('hex')
  let tree = treeCache.get(key)
  if (!tree) {
    tree = parser.parse(text) as Root
    treeCache.set(key, tree)
    // A dev session parses every saved version of a chapter: keep the most recent ones only.
    if (treeCache.size > TREE_CACHE_ENTRIES) treeCache.delete(treeCache.keys().next().value!)
  }
  return structuredClone(tree)
}

/**
 * Validate a chapter's front matter. Records positioned errors and returns
 * undefined when it is missing or invalid.
 */
export function readFrontMatter(tree: Root, file: string, diagnostics: Diagnostics): FrontMatter | undefined {
  const node = tree.children[0]
  if (!node || node.type !== 'yaml') {
    diagnostics.error(
      file,
      'Missing front matter; start the chapter with a `---` block giving at least `title:` ' +
        '(and `kind: part`, `front` or `appendix` when it is not a plain chapter)',
      'chapter:front-matter',
      { line: 1, column: 1 },
    )
    return undefined
  }
  const yamlNode = node as Yaml
  const startLine = (yamlNode.position?.start.line ?? 1) + 1
  const lineCounter = new LineCounter()
  const document = parseDocument(yamlNode.value, { lineCounter, prettyErrors: false })
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line: startLine + line - 1, column: col }
  }
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      diagnostics.error(
        file,
        `Malformed front matter: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        'chapter:front-matter',
        at(error.pos[0]),
      )
    }
    return undefined
  }
  const data = document.toJS() ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.error(file, 'Malformed front matter: expected `key: value` lines', 'chapter:front-matter', {
      line: startLine,
      column: 1,
    })
    return undefined
  }
  const placeOf = (keyPath: string[], options?: { key?: boolean }): Position => {
    const found = yamlNodeAt(document.contents, keyPath, options)
    return found?.range ? at(found.range[0]) : { line: startLine, column: 1 }
  }
  const allowed = Object.keys(frontMatterSchema.shape)
  const result = frontMatterSchema.safeParse(data)
  if (!result.success) {
    for (const issue of schemaIssues(result.error, data)) {
      if (issue.kind === 'unknown-key') {
        const guess = didYouMean(issue.key, allowed)
        const message =
          `Front matter: unknown key \`${issue.key}\`${guess ? `; did you mean \`${guess}\`?` : '.'} ` +
          `Allowed keys are ${allowed.join(', ')}`
        diagnostics.error(file, message, 'chapter:front-matter', placeOf([issue.key], { key: true }))
        continue
      }
      const key = issue.path.join('.')
      const message =
        issue.kind === 'missing'
          ? `Front matter: missing \`${key}:\`; add it to the \`---\` block at the top of the chapter`
          : `Front matter: \`${key}\`: ${issue.message.replace(/^Invalid (input|option): /, '')}${issue.hint}`
      diagnostics.error(file, message, 'chapter:front-matter', placeOf(issue.path))
    }
    return undefined
  }
  return result.data
}
