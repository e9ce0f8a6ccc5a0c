/**
 * The site's full-text search: a Pagefind index built at build time, with
 * one record per heading block (the text from one heading to the next), so
 * that a hit links to the exact heading and can name its part and section.
 *
 * Pagefind's npm package runs its platform binary (shipped in an optional
 * dependency, no install script needed). That binary is Pagefind's
 * "extended" build, which segments Chinese text into words at index time;
 * the browser side segments queries with `Intl.Segmenter`.
 */
import { readFileSync } from 'node:fs'
import * as pagefind from 'pagefind'

/** The installed Pagefind's version (its package.json is not exported; it sits beside `lib/`). */
const pagefindVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('pagefind')), 'utf8')) as { version: string }
).version

/** One searchable stretch of a page: from a heading to the next. */
export interface SearchRecord {
  /** Relative link to the heading, e.g. `part-1.html#part-1-s2-1`. */
  url: string
  /** The page, e.g. `第一部分 浪潮来袭`. */
  part: string
  /** The section the block belongs to, e.g. `（二）发展环境`; empty before the first section. */
  section: string
  /** The block's own heading (a section or a lead line); empty for a page's opening text. */
  heading: string
  text: string
}

/** Part of the search cache's key: Pagefind's version, and this module's way of indexing (bump when it changes). */
export const SEARCH_INDEX_VERSION = `pagefind@${pagefindVersion} records@1`

/** Files of the Pagefind bundle the site needs; the UI bundles and the playground are left out (the book's script draws the results). */
const SHIPPED =
  /^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind|pagefind\.[\w-]+\.pf_meta|index\/.*|fragment\/.*)$/

/**
 * Build the index for `records` in memory. Returns the bundle's files by
 * path relative to the bundle folder (for `pagefind/`). The same records
 * give the same bytes.
 *
 * @param language ISO code of the book, e.g. `zh-CN`; Pagefind keeps one index per language.
 */
export async function buildSearchIndex(records: SearchRecord[], language: string): Promise<Map<string, Uint8Array>> {
  const created = await pagefind.createIndex({ forceLanguage: language.toLowerCase() })
  if (!created.index) throw new Error(`Pagefind could not start: ${created.errors.join('; ')}`)
  const index = created.index
  try {
    for (const record of records) {
      const added = await index.addCustomRecord({
        url: record.url,
        language: language.toLowerCase(),
        content: [record.heading, record.text].filter(Boolean).join('\n'),
        meta: { title: record.heading || record.section || record.part, part: record.part, section: record.section },
      })
      if (added.errors.length > 0) throw new Error(`Pagefind could not index ${record.url}: ${added.errors.join('; ')}`)
    }
    const { files, errors } = await index.getFiles()
    if (errors.length > 0) throw new Error(`Pagefind could not write its index: ${errors.join('; ')}`)
    return new Map(
      files
        .filter((file) => SHIPPED.test(file.path))
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((file) => [file.path, file.content]),
    )
  } finally {
    await index.deleteIndex()
    await pagefind.close()
  }
}
