/**
 * What a published site offers besides its pages: a sitemap and robots.txt
 * (only when the book config gives `baseUrl`, since the site must otherwise
 * work from any base path), the citation of the book in GB/T 7714 and
 * BibTeX, and its stylesheet and script minified for publishing.
 */
import { transform } from 'lightningcss'
import { transform as transformScript } from 'esbuild'
import type { BookConfig } from '../config/config.ts'
import type { Labels } from '../labels.ts'

/** A page's absolute URL under `baseUrl` (which ends in `/`); `index.html` is the folder itself. */
export function pageUrl(baseUrl: string, page: string): string {
  return new URL(page === 'index.html' ? '' : page, baseUrl).href
}

/** sitemap.xml listing `pages` (file names relative to the site root), in the given order. */
export function sitemapXml(baseUrl: string, pages: string[], lastModified: Date): string {
  const day = lastModified.toISOString().slice(0, 10)
  const entries = pages.map(
    (page) => `  <url><loc>${escapeXml(pageUrl(baseUrl, page))}</loc><lastmod>${day}</lastmod></url>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`
}

/** robots.txt that allows everything and names the sitemap. */
export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${pageUrl(baseUrl, 'sitemap.xml')}\n`
}

export interface Citation {
  gbt7714: string
  bibtex: string
}

/**
 * The book as a reference: GB/T 7714-2015 (a report, `[R]`, or `[R/OL]` with
 * its address when `baseUrl` is set) and a BibTeX `@techreport`. The title and
 * subtitle are joined with the book's `subtitleSeparator` label (：, `: `).
 */
export function citation(config: BookConfig, labels: Pick<Labels, 'subtitleSeparator'>): Citation {
  const year = config.date.slice(0, 4)
  const title = config.subtitle ? `${config.title}${labels.subtitleSeparator}${config.subtitle}` : config.title
  const online = Boolean(config.baseUrl)
  const place = config.place ? `${config.place}: ` : ''
  const gbt7714 = `${config.author}. ${title}[${online ? 'R/OL' : 'R'}]. ${place}${config.publisher}, ${year}.${online ? ` ${config.baseUrl}` : ''}`
  const key = `${(config.publisherEnglish || 'report').toLowerCase().replace(/[^a-z0-9]+/g, '')}${year}`
  const fields: [string, string | undefined][] = [
    ['title', title],
    ['author', `{${config.author}}`],
    ['institution', config.publisher],
    ['address', config.place || undefined],
    ['year', year],
    ['url', config.baseUrl],
    ['language', config.language],
  ]
  const body = fields.filter(([, value]) => value).map(([name, value]) => `  ${name} = {${value}}`)
  return { gbt7714, bibtex: `@techreport{${key},\n${body.join(',\n')}\n}` }
}

/** Minify a stylesheet for publishing with lightningcss (no syntax lowering: the CSS is served as written). */
export function minifyCss(css: string, filename: string): string {
  return transform({ filename, code: Buffer.from(css), minify: true }).code.toString()
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Minify the book's script for publishing with esbuild (syntax left as written: the script targets current browsers). */
export async function minifyScript(code: string): Promise<string> {
  return (await transformScript(code, { minify: true, loader: 'js', legalComments: 'none' })).code
}
