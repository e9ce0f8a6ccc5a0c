/**
 * The site's files besides the pages and fonts: the stylesheet and script (minified for publishing), the search
 * index, sitemap.xml and robots.txt (with a `baseUrl`), and the book's static files.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import Mustache from 'mustache'
import type { BookConfig } from '../config/config.ts'
import type { Labels } from '../labels.ts'
import { themeDir } from '../config/templates.ts'
import { createHash } from 'node:crypto'
import { buildSearchIndex, SEARCH_INDEX_VERSION, type SearchRecord } from './search.ts'
import { pruneOldest, readJson, writeAtomic } from '../write/files.ts'
import { minifyCss, minifyScript, robotsTxt, sitemapXml } from './meta.ts'

/** The site's progressive-enhancement script, a template like the pages; published as `assets/site.js`. */
export const SITE_SCRIPT = 'site.js'

/**
 * The site's script: the book's `site.js` in its templates folder, or the default theme's, with the book's labels
 * filled in (`'{{labels.search}}'`), escaped for a JavaScript string.
 */
export async function readSiteScript(templatesDir: string, labels: Labels): Promise<string> {
  const source = await fs
    .readFile(path.join(templatesDir, SITE_SCRIPT), 'utf8')
    .catch(() => fs.readFile(path.join(themeDir(), 'templates', SITE_SCRIPT), 'utf8'))
  return Mustache.render(source, { labels }, {}, { escape: escapeForScript })
}

/** Text inside a quoted JavaScript string, safe in any quotes and in HTML (`<` is escaped too). */
function escapeForScript(value: unknown): string {
  return JSON.stringify(String(value))
    .slice(1, -1)
    .replace(/['`<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export interface SiteAssetsInput {
  config: BookConfig
  /** Site-relative file names of the pages the sitemap lists. */
  pages: string[]
  /** The search index's records; no index without them. */
  records?: SearchRecord[]
  /** The full stylesheet, font faces included. */
  css: string
  script: string
  /** Where built search indexes are kept, by a hash of their records (an unchanged book starts no Pagefind). */
  cacheDir: string
  /** Minify the stylesheet and script (publishing); dev mode keeps them readable. */
  minify: boolean
  date: Date
}

/** Stylesheet, script, search index, sitemap and robots.txt, by site path. */
export async function siteAssets(input: SiteAssetsInput): Promise<Map<string, string | Buffer>> {
  const { config } = input
  const files = new Map<string, string | Buffer>()
  files.set('assets/book.css', input.minify ? minifyCss(input.css, 'book.css') : input.css)
  if (input.script) files.set(`assets/${SITE_SCRIPT}`, input.minify ? await minifyScript(input.script) : input.script)
  if (input.records) {
    for (const [file, bytes] of await cachedSearchIndex(input.records, config.language, input.cacheDir)) {
      files.set(`pagefind/${file}`, bytes)
    }
  }
  if (config.baseUrl) {
    files.set('sitemap.xml', sitemapXml(config.baseUrl, input.pages, input.date))
    files.set('robots.txt', robotsTxt(config.baseUrl))
  }
  return files
}

/** The book's static files (its `static` folder), by site path. */
export async function staticFiles(root: string, config: BookConfig): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  const staticDir = path.resolve(root, config.static)
  const names = await fs.readdir(staticDir, { recursive: true }).catch(() => [] as string[])
  for (const name of names.sort()) {
    const file = path.join(staticDir, name)
    if ((await fs.stat(file)).isFile()) files.set(name.split(path.sep).join('/'), await fs.readFile(file))
  }
  return files
}

/** How many search indexes `.cache/search` keeps (the newest). */
const SEARCH_CACHE_ENTRIES = 4

/** The search index for `records`: from the cache when the same records were indexed before, else built and kept. */
export async function cachedSearchIndex(
  records: SearchRecord[],
  language: string,
  cacheDir: string,
): Promise<Map<string, Buffer>> {
  const key = createHash('sha256')
    .update(SEARCH_INDEX_VERSION)
    .update(language)
    .update(JSON.stringify(records))
    .digest('hex')
  const file = path.join(cacheDir, 'search', `${key}.json`)
  const cached = await readJson<Record<string, string>>(file)
  if (cached) return new Map(Object.entries(cached).map(([name, base64]) => [name, Buffer.from(base64, 'base64')]))
  const built = new Map(
    [...(await buildSearchIndex(records, language))].map(([name, bytes]) => [name, Buffer.from(bytes)]),
  )
  await fs.mkdir(path.dirname(file), { recursive: true })
  await writeAtomic(
    file,
    JSON.stringify(Object.fromEntries([...built].map(([name, bytes]) => [name, bytes.toString('base64')]))),
  )
  await pruneOldest(path.dirname(file), SEARCH_CACHE_ENTRIES)
  return built
}
