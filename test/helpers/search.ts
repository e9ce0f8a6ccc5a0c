/** Query a built Pagefind bundle from Node, the way the site's script does in the browser. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL, fileURLToPath } from 'node:url'

export interface SearchHit {
  url: string
  part: string
  section: string
  title: string
  excerpt: string
}

/**
 * Load `pagefind.js` from a bundle folder (`dist/site/pagefind`), serving its
 * fetches from disk, and return a search function. Pagefind's script is an ES
 * module named `.js`, so a copy named `.mjs` is imported.
 */
export async function openSearch(bundleDir: string): Promise<(query: string) => Promise<SearchHit[]>> {
  const copy = await fs.mkdtemp(path.join(os.tmpdir(), 'pagefind-'))
  await fs.cp(bundleDir, copy, { recursive: true })
  await fs.copyFile(path.join(copy, 'pagefind.js'), path.join(copy, 'pagefind.mjs'))
  const base = pathToFileURL(copy).href + '/'
  const realFetch = globalThis.fetch
  globalThis.fetch = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input), base)
    if (url.protocol !== 'file:') return realFetch(input, init)
    return new Response(await fs.readFile(fileURLToPath(url)))
  }) as typeof fetch
  const pagefind = await import(`${base}pagefind.mjs`)
  await pagefind.options({ basePath: base, baseUrl: '/' })
  return async (query) => {
    const search = await pagefind.search(query)
    const results = await Promise.all(search.results.map((result: { data: () => Promise<unknown> }) => result.data()))
    return (results as { url: string; excerpt: string; meta: Record<string, string> }[]).map((r) => ({
      url: r.url.replace(/^\//, ''),
      part: r.meta.part ?? '',
      section: r.meta.section ?? '',
      title: r.meta.title ?? '',
      excerpt: r.excerpt,
    }))
  }
}
