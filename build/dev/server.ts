/**
 * Dev mode: serve `dist/site` over node:http, watch the book's sources,
 * rebuild what changed and live-reload open pages.
 *
 * The parts: `site.ts` rebuilds the site with warm caches, `pdf.ts` prints
 * the PDF after site rebuilds (`pdf` option), `queue.ts` debounces both,
 * `static.ts` serves the files, `live-reload.ts` streams events to open pages
 * and `watcher.ts` watches the sources. The reload script is added to HTML as
 * it is served, so files on disk are exactly what `npm run build` would publish.
 */
import http from 'node:http'
import path from 'node:path'
import type { Diagnostic } from '../index.ts'
import { relativeTo } from './format.ts'
import { LiveReload, errorPayload, type LiveState } from './live-reload.ts'
import { PDF_FAILED, PdfRebuilds, type PdfResult } from './pdf.ts'
import { DebouncedQueue, Lock } from './queue.ts'
import { SITE_FAILED, SiteRebuilds, type RebuildResult } from './site.ts'
import { SearchUpdates } from './search.ts'
import { staticSite } from './static.ts'
import { isConfigFile, watchSources, type SourceWatcher } from './watcher.ts'

export interface DevServerOptions {
  /** The book's root folder. */
  root: string
  /** Port to listen on. Default 4321; 0 picks a free one. A busy port is an error, never silently replaced. */
  port?: number
  /** Interface to listen on. Default `localhost`. */
  host?: string
  /** Also rebuild the PDF after changes. Default false. */
  pdf?: boolean
  /** Output folder. Default `<root>/dist`. */
  outDir?: string
  /** Cache folder. Default `<root>/.cache`. */
  cacheDir?: string
  /** Quiet period after the last file event before a rebuild starts. Default 50 ms. */
  debounceMs?: number
  /** Quiet period after a site rebuild before the PDF is printed. Default 300 ms. */
  pdfDebounceMs?: number
  /** Where progress lines go. Default: nowhere. */
  log?: (line: string) => void
}

export interface DevServer {
  /** `http://localhost:4321/` */
  url: string
  port: number
  /** Settles when the first build has finished (successfully or not). */
  ready: Promise<RebuildResult>
  /** The latest site rebuild. */
  readonly last: RebuildResult | undefined
  /** Errors of the latest site rebuild; empty when the site is up to date. */
  readonly errors: Diagnostic[]
  /** Process id of the warm Chromium (`pdf` mode), once launched. */
  readonly browserPid: number | undefined
  /** Settles when the search index of the latest site rebuild is written: it follows the page and its reload. */
  searchWritten(): Promise<void>
  /** Call `listener` after every site rebuild; returns an unsubscribe function. */
  onRebuild(listener: (result: RebuildResult) => void): () => void
  /** Call `listener` after every PDF rebuild (`pdf` mode); returns an unsubscribe function. */
  onPdf(listener: (result: PdfResult) => void): () => void
  /** Rebuild now, as if `changed` had been edited; resolves after that rebuild. */
  rebuild(changed?: string[]): Promise<RebuildResult>
  /** Stop watching, end live-reload streams, stop the server and close Chromium. */
  close(): Promise<void>
}

/** A dev server that could not start (busy port, no permission). */
export class DevServerError extends Error {
  override name = 'DevServerError'
}

/** The folders a dev server works in. */
interface DevFolders {
  root: string
  outDir: string
  cacheDir: string
  siteDir: string
}

/** Everything a running dev server holds, for `close`. */
interface DevParts extends ReturnType<typeof rebuilders> {
  server: http.Server
  watcher: SourceWatcher
  firstBuild: Promise<RebuildResult>
}

/**
 * Build the book, serve `dist/site` with live reload, and rebuild on change.
 * Rejects with a `DevServerError` when the port cannot be used; build errors
 * never stop the server (they are reported and the last good site is served).
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = path.resolve(options.root)
  const outDir = path.resolve(options.outDir ?? path.join(root, 'dist'))
  const folders = {
    root,
    outDir,
    cacheDir: path.resolve(options.cacheDir ?? path.join(root, '.cache')),
    siteDir: path.join(outDir, 'site'),
  }
  const log = options.log ?? (() => undefined)
  const parts = rebuilders(options, folders, log)
  const { liveReload, site, pdf, search, siteQueue } = parts

  // Set once the server listens: a busy port must fail before anything is built.
  const first: { build?: Promise<RebuildResult> } = {}
  const server = http.createServer(
    staticSite({ siteDir: folders.siteDir, liveReload, ready: () => Promise.resolve(first.build) }),
  )
  const host = options.host ?? 'localhost'
  const port = await listen(server, options.port ?? 4321, host)
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`

  const watcher = await watchSources(root, (file) => siteQueue.add(relativeTo(root, file)), log)
  // A config edit may point templates or styles somewhere else.
  site.listeners.add((result) => {
    if (result.changed.some(isConfigFile)) void watcher.refresh()
  })

  if (options.pdf) process.once('exit', pdf.kill)
  log(`▸ building ${relativeTo(root, root) || path.basename(root)}…`)
  const firstBuild = Promise.all([watcher.ready, site.build([])]).then(([, result]) => result)
  first.build = firstBuild
  const ready = firstBuild.then((result) => {
    const pdfNote = options.pdf ? ' (the PDF is rebuilt after changes)' : ''
    log(`➜ serving ${relativeTo(root, folders.siteDir)} at ${url}${pdfNote}`)
    return result
  })
  // Closing during the first build rejects `ready`; that is not an unhandled error.
  ready.catch(() => undefined)

  let closed: Promise<void> | undefined
  return {
    url,
    port,
    ready,
    get last() {
      return site.last
    },
    get errors() {
      return site.failing ? site.last!.diagnostics.filter((d) => d.severity === 'error') : []
    },
    get browserPid() {
      return pdf.browserPid
    },
    searchWritten: () => search.settled(),
    onRebuild: (listener) => subscribe(site.listeners, listener),
    onPdf: (listener) => subscribe(pdf.listeners, listener),
    rebuild: (changed = []) => siteQueue.now(changed.length ? changed : ['(manual)']),
    close: () => (closed ??= shutDown({ ...parts, server, watcher, firstBuild })),
  }
}

/** The live-reload stream, the site and PDF rebuilders, and one debounced queue for each. */
function rebuilders(options: DevServerOptions, folders: DevFolders, log: (line: string) => void) {
  const { root, outDir, cacheDir } = folders
  const closing = new AbortController()
  const signal = closing.signal
  const lock = new Lock()
  const liveReload = new LiveReload((): LiveState => {
    const errors = site.failing ? errorPayload(SITE_FAILED, site.last!.diagnostics) : undefined
    return { build: site.id, errors: errors ?? (pdf.errors.length ? errorPayload(PDF_FAILED, pdf.errors) : undefined) }
  })
  const shared = { root, outDir, cacheDir, signal, lock, liveReload, log }
  const site: SiteRebuilds = new SiteRebuilds({
    ...shared,
    linkPdf: Boolean(options.pdf),
    pdfFailing: () => pdf.errors.length > 0,
  })
  const pdf: PdfRebuilds = new PdfRebuilds({ ...shared, siteFailing: () => site.failing })
  // Listeners run after the reload is sent: the page is served first, its search index follows.
  const search = new SearchUpdates({ siteDir: folders.siteDir, cacheDir, log })
  site.listeners.add((result) => void (result.search && search.update(result.search)))
  const siteQueue = new DebouncedQueue((changed) => site.build(changed), options.debounceMs ?? 50, signal)
  const pdfQueue = new DebouncedQueue(() => pdf.build(), options.pdfDebounceMs ?? 300, signal)
  if (options.pdf) site.listeners.add((result) => result.ok && pdfQueue.add('site'))
  return { closing, liveReload, site, pdf, search, siteQueue, pdfQueue }
}

/** Stop watching, end live-reload streams, stop the server, close Chromium and wait for the builds to end. */
async function shutDown(parts: DevParts): Promise<void> {
  const { closing, siteQueue, pdfQueue, watcher, liveReload, server, pdf, search, firstBuild } = parts
  closing.abort()
  siteQueue.cancel()
  pdfQueue.cancel()
  await watcher.close()
  liveReload.close()
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  // Closing the browser ends a print in progress; then wait for the builds to notice.
  await pdf.close()
  const settled = Promise.all([siteQueue.settled(), pdfQueue.settled(), firstBuild.catch(() => undefined)]).then(() =>
    search.settled(),
  )
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 15_000).unref())])
  await pdf.close()
  process.off('exit', pdf.kill)
}

function subscribe<T>(listeners: Set<(value: T) => void>, listener: (value: T) => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Listen on `port` (0: a free one); resolves with the port, rejects with a `DevServerError` saying what to do. */
function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        const hint = 'Stop that process, or choose another port with --port N.'
        reject(new DevServerError(`Port ${port} is already in use (is another dev server running?). ${hint}`))
      } else if (error.code === 'EACCES') {
        reject(new DevServerError(`No permission to listen on port ${port}; choose a port above 1023 with --port N.`))
      } else reject(new DevServerError(`Cannot listen on ${host}:${port}: ${error.message}`))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as { port: number }).port)
    })
  })
}
