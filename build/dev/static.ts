/** The dev server's HTTP side: the site folder as static files, with the live-reload script in every page. */
import type http from 'node:http'
import fs from 'node:fs/promises'
import path from 'node:path'
import { EVENTS_PATH, injectReloadScript } from './client.ts'
import type { LiveReload } from './live-reload.ts'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.xml': 'application/xml; charset=utf-8',
}

const TEXT = 'text/plain; charset=utf-8'

export interface StaticSiteOptions {
  /** The folder served at `/`. */
  siteDir: string
  /** Where `/__dev/events` goes. */
  liveReload: LiveReload
  /** Files are served once this settles (the first build), so that a stale site is never shown. */
  ready: () => Promise<unknown>
}

/**
 * A request handler serving `siteDir`: GET and HEAD only, nothing outside the
 * folder (not through `..`, not through a symbolic link), no caching, and a
 * 404 page that reloads itself once the page exists.
 */
export function staticSite(options: StaticSiteOptions): http.RequestListener {
  return (request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': TEXT })
      response.end(`Internal error: ${(error as Error).message}`)
    })
  }
}

async function serve(options: StaticSiteOptions, request: http.IncomingMessage, response: http.ServerResponse) {
  const { siteDir } = options
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': TEXT }).end('Method not allowed')
    return
  }
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
  } catch {
    response.writeHead(400, { 'content-type': TEXT }).end('Bad request')
    return
  }
  if (pathname === EVENTS_PATH) return options.liveReload.attach(request, response)
  // Until the first build is done there is nothing (or only a stale site) to serve.
  await options.ready()
  const notFound = () => {
    const body = injectReloadScript(notFoundPage(pathname), true)
    response.writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    response.end(request.method === 'HEAD' ? undefined : body)
  }
  const file = path.join(siteDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname)
  if (pathname.includes('\0') || (file !== siteDir && !file.startsWith(siteDir + path.sep))) return notFound()
  const stat = await fs.stat(file).catch(() => undefined)
  if (stat?.isDirectory()) {
    response.writeHead(301, { location: `${pathname}/`.replace(/^\/+/, '/') }).end()
    return
  }
  if (!stat?.isFile()) return notFound()
  // A symbolic link inside the site must not lead out of it.
  const [realFile, realSite] = await Promise.all([fs.realpath(file), fs.realpath(siteDir)])
  if (!realFile.startsWith(realSite + path.sep)) return notFound()
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
  let body: Buffer | string = await fs.readFile(file)
  if (type.startsWith('text/html')) body = injectReloadScript(body.toString('utf8'), false)
  response.writeHead(200, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}

function notFoundPage(pathname: string): string {
  const escaped = pathname.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>404 Not Found</title></head>' +
    '<body style="font:16px/1.5 system-ui,sans-serif;margin:3em"><h1>404 Not Found</h1>' +
    `<p><code>${escaped}</code> is not in <code>dist/site</code>.</p><p><a href="/">Back to the index</a></p>` +
    '</body></html>'
  )
}
