/**
 * Dev mode: serve `dist/site` over node:http, watch the book's sources,
 * rebuild what changed and live-reload open pages.
 *
 * One long-lived `Builder` in `'update'` mode does every site rebuild, so the
 * caches it leans on stay warm: parse trees by content (markdown.ts), the
 * compiled schema validator and font measurer (module-level in figures/),
 * SVGs by content hash and font subsets by character set (on disk). Numbering
 * is recomputed over the whole book each time (a few ms), and only site files
 * whose bytes changed are written. The reload script is added to HTML as it is
 * served, so files on disk are exactly what `npm run build` would publish.
 *
 * With `pdf`, a second Builder prints the PDF after site rebuilds, in its own
 * output folder under the cache, with one Chromium kept warm; the finished PDF
 * is then copied into `dist/`.
 */
import http from 'node:http'
import fs from 'node:fs/promises'
import path from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import { Builder, type BuildSummary } from './builder.ts'
import { BuildError, Diagnostics, formatDiagnostic, type Diagnostic } from './diagnostics.ts'
import { loadConfig } from './config.ts'
import { launchBrowser, type LaunchedBrowser } from './browser.ts'

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

/** The outcome of one site rebuild. */
export interface RebuildResult {
  ok: boolean
  /** Source files that triggered it, relative to the root (empty for the first build). */
  changed: string[]
  /** Site files written, relative to the site folder. */
  written: string[]
  /** Figures rendered by vega this time (not served from the SVG cache). */
  figuresRendered: number
  ms: number
  /** Errors (when `ok` is false) and warnings. */
  diagnostics: Diagnostic[]
  summary?: BuildSummary
}

/** The outcome of one PDF rebuild. */
export interface PdfResult {
  ok: boolean
  /** `dist/whitepaper.pdf`, when ok. */
  file?: string
  pages?: number
  reused?: boolean
  ms: number
  diagnostics: Diagnostic[]
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

const EVENTS_PATH = '/__dev/events'

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

/**
 * The script added to served pages: listens on `/__dev/events`, reloads when
 * the page (or a shared asset) changed, and shows build errors in an overlay.
 * Plain ES2017, no dependencies.
 */
function reloadScript(always: boolean): string {
  const code = `(function () {
  var here = decodeURIComponent(location.pathname.split('/').pop() || 'index.html');
  var always = ${always};
  var build = null;
  var overlay = null;
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(title, list) {
    clear();
    overlay = document.createElement('div');
    overlay.id = '__dev-overlay';
    overlay.setAttribute('role', 'alert');
    overlay.style.cssText = 'position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;margin:0;padding:16px 20px;background:rgba(40,0,0,.94);color:#fff;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 4px 24px rgba(0,0,0,.5)';
    var head = document.createElement('div');
    head.style.cssText = 'font-weight:bold;color:#ff8a80;margin-bottom:8px';
    head.textContent = title;
    overlay.appendChild(head);
    list.forEach(function (d) {
      var row = document.createElement('div');
      row.style.cssText = 'white-space:pre-wrap;margin:4px 0';
      var where = document.createElement('span');
      where.style.color = '#ffcc80';
      where.textContent = d.where + ' ';
      var message = document.createElement('span');
      message.textContent = d.severity + ' ' + d.message + ' ';
      var rule = document.createElement('span');
      rule.style.color = '#aaa';
      rule.textContent = d.ruleId;
      row.appendChild(where); row.appendChild(message); row.appendChild(rule);
      overlay.appendChild(row);
    });
    var close = document.createElement('button');
    close.textContent = '×';
    close.setAttribute('aria-label', 'Hide');
    close.style.cssText = 'position:absolute;top:8px;right:12px;background:none;border:0;color:#fff;font-size:20px;cursor:pointer';
    close.onclick = clear;
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }
  var source = new EventSource('${EVENTS_PATH}');
  source.addEventListener('hello', function (e) {
    var id = JSON.parse(e.data).build;
    if (build !== null && id !== build) location.reload();
    build = id;
  });
  source.addEventListener('reload', function (e) {
    var data = JSON.parse(e.data);
    build = data.build;
    if (always || data.changed.some(function (f) { return f === here || !/\\.html$/.test(f); })) location.reload();
  });
  source.addEventListener('errors', function (e) {
    var data = JSON.parse(e.data);
    show(data.title, data.diagnostics);
  });
  source.addEventListener('ok', clear);
})();`
  return `<script data-dev-reload>${code}</script>`
}

function injectScript(html: string, always: boolean): string {
  const script = reloadScript(always)
  const at = html.lastIndexOf('</body>')
  return at < 0 ? html + script : html.slice(0, at) + script + html.slice(at)
}

function notFoundPage(pathname: string): string {
  const escaped = pathname.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>404 Not Found</title></head><body style="font:16px/1.5 system-ui,sans-serif;margin:3em"><h1>404 Not Found</h1><p><code>${escaped}</code> is not in <code>dist/site</code>.</p><p><a href="/">Back to the index</a></p></body></html>`
}

/** A diagnostic as the overlay shows it. */
function overlayEntry(d: Diagnostic) {
  return { where: d.place ? `${d.file}:${d.place.line}:${d.place.column}` : d.file, severity: d.severity, message: d.message, ruleId: d.ruleId, text: formatDiagnostic(d) }
}

/** One build at a time: site rebuilds and the start of PDF builds share it. */
class Lock {
  private tail: Promise<void> = Promise.resolve()
  acquire(): Promise<() => void> {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    const previous = this.tail
    this.tail = previous.then(() => held)
    return previous.then(() => {
      let done = false
      return () => {
        if (!done) {
          done = true
          release()
        }
      }
    })
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
}

/** "2 pages, 1 figure, styles" — what a rebuild wrote. */
function describeRebuild(result: RebuildResult): string {
  const pages = result.written.filter((f) => f.endsWith('.html')).length
  const parts: string[] = []
  if (pages) parts.push(plural(pages, 'page'))
  if (result.figuresRendered) parts.push(plural(result.figuresRendered, 'figure'))
  if (result.written.some((f) => f.startsWith('assets/'))) parts.push('styles')
  if (result.written.some((f) => f.startsWith('fonts/'))) parts.push('fonts')
  const data = result.written.filter((f) => f.startsWith('data/')).length
  if (data) parts.push(plural(data, 'data file'))
  return parts.length ? parts.join(', ') : 'nothing (output unchanged)'
}

/**
 * Build the book, serve `dist/site` with live reload, and rebuild on change.
 * Rejects with a `DevServerError` when the port cannot be used; build errors
 * never stop the server (they are reported and the last good site is served).
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const root = path.resolve(options.root)
  const outDir = path.resolve(options.outDir ?? path.join(root, 'dist'))
  const cacheDir = path.resolve(options.cacheDir ?? path.join(root, '.cache'))
  const siteDir = path.join(outDir, 'site')
  const host = options.host ?? 'localhost'
  const log = options.log ?? (() => undefined)
  const debounceMs = options.debounceMs ?? 50
  const pdfDebounceMs = options.pdfDebounceMs ?? 300
  const relative = (file: string) => {
    const rel = path.relative(root, file)
    return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/')
  }

  const closing = new AbortController()
  // Whole fonts: a new character in an edit must not cost a re-subset (~1 s) before the page updates.
  const builder = new Builder({ root, outDir, cacheDir, pdf: false, linkPdf: Boolean(options.pdf), writeMode: 'update', wholeFonts: true, signal: closing.signal })
  const lock = new Lock()
  const rebuildListeners = new Set<(result: RebuildResult) => void>()
  const pdfListeners = new Set<(result: PdfResult) => void>()
  const clients = new Set<http.ServerResponse>()
  let last: RebuildResult | undefined
  let buildId = `${Date.now().toString(36)}-0`
  let buildCount = 0
  let shownWarnings = new Set<string>()

  // ── live-reload stream ──
  const send = (client: http.ServerResponse, event: string, data: unknown) => client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  const broadcast = (event: string, data: unknown) => {
    for (const client of clients) send(client, event, data)
  }
  const errorPayload = (title: string, diagnostics: Diagnostic[]) => ({ title, diagnostics: diagnostics.filter((d) => d.severity === 'error').map(overlayEntry) })
  let pdfErrors: Diagnostic[] = []
  const sendState = (client: http.ServerResponse) => {
    send(client, 'hello', { build: buildId })
    if (last && !last.ok) send(client, 'errors', errorPayload('Build failed — showing the last good version', last.diagnostics))
    else if (pdfErrors.length) send(client, 'errors', errorPayload('PDF build failed', pdfErrors))
  }

  // ── site rebuilds ──
  const siteBuild = async (changed: string[]): Promise<RebuildResult> => {
    const release = await lock.acquire()
    const t0 = performance.now()
    let result: RebuildResult
    try {
      const summary = await builder.build()
      result = { ok: true, changed, written: summary.written ?? [], figuresRendered: summary.figures.rendered, ms: performance.now() - t0, diagnostics: summary.warnings, summary }
    } catch (error) {
      if (closing.signal.aborted) throw error
      const diagnostics =
        error instanceof BuildError
          ? error.diagnostics
          : [{ file: relative(root), severity: 'error' as const, message: `Build crashed: ${(error as Error)?.stack ?? error}`, ruleId: 'dev:crash' }]
      result = { ok: false, changed, written: [], figuresRendered: 0, ms: performance.now() - t0, diagnostics }
    } finally {
      release()
    }
    const wasFailing = last !== undefined && !last.ok
    last = result
    report(result, wasFailing)
    for (const listener of rebuildListeners) listener(result)
    if (result.ok) schedulePdf()
    return result
  }

  const report = (result: RebuildResult, wasFailing: boolean) => {
    const what = result.changed.length ? `${result.changed.join(', ')} changed` : 'first build'
    if (result.ok) {
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic)
      for (const warning of warnings) if (!shownWarnings.has(warning)) log(warning)
      shownWarnings = new Set(warnings)
      log(`${result.changed.length ? '↻' : '✔'} ${what} → rebuilt ${describeRebuild(result)} in ${formatMs(result.ms)}${wasFailing ? ' (errors fixed)' : ''}`)
      if (result.written.length) {
        buildId = `${buildId.split('-')[0]}-${++buildCount}`
        if (wasFailing || pdfErrors.length === 0) broadcast('ok', {})
        broadcast('reload', { build: buildId, changed: result.written })
      } else if (wasFailing) broadcast('ok', {})
    } else {
      for (const d of result.diagnostics) log(formatDiagnostic(d))
      const count = result.diagnostics.filter((d) => d.severity === 'error').length
      log(`✖ ${what} → ${plural(count, 'error')} in ${formatMs(result.ms)}; still serving the last good site`)
      broadcast('errors', errorPayload('Build failed — showing the last good version', result.diagnostics))
    }
  }

  // Changes are collected while the quiet period runs and while a build runs; one build at a time.
  const pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const waiters: ((result: RebuildResult) => void)[] = []
  const runPending = () => {
    if (running || closing.signal.aborted) return
    running = (async () => {
      while (pending.size > 0 && !timer && !closing.signal.aborted) {
        const changed = [...pending].sort()
        pending.clear()
        const done = waiters.splice(0)
        const result = await siteBuild(changed).catch(() => undefined)
        if (result) for (const resolve of done) resolve(result)
      }
    })().finally(() => {
      running = undefined
      if (pending.size > 0 && !timer) runPending()
    })
  }
  const noteChange = (file: string) => {
    pending.add(relative(file))
    clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      runPending()
    }, debounceMs)
  }

  // ── PDF rebuilds (optional) ──
  let browser: LaunchedBrowser | undefined
  let pdfBuilder: Builder | undefined
  let pdfTimer: NodeJS.Timeout | undefined
  let pdfWanted = false
  let pdfRunning: Promise<void> | undefined
  const pdfOutDir = path.join(cacheDir, 'dev-pdf')
  const killBrowserOnExit = () => browser?.browser.process()?.kill('SIGKILL')
  const schedulePdf = () => {
    if (!options.pdf || closing.signal.aborted) return
    pdfWanted = true
    clearTimeout(pdfTimer)
    pdfTimer = setTimeout(() => {
      pdfTimer = undefined
      runPdf()
    }, pdfDebounceMs)
  }
  const runPdf = () => {
    if (pdfRunning || closing.signal.aborted) return
    pdfRunning = (async () => {
      while (pdfWanted && !pdfTimer && !closing.signal.aborted) {
        pdfWanted = false
        await pdfBuild()
      }
    })().finally(() => {
      pdfRunning = undefined
      if (pdfWanted && !pdfTimer) runPdf()
    })
  }
  const pdfBuild = async () => {
    const t0 = performance.now()
    let result: PdfResult
    const release = await lock.acquire()
    try {
      if (!browser || !browser.browser.connected) {
        await browser?.close()
        browser = await launchBrowser()
        pdfBuilder = undefined
      }
      pdfBuilder ??= new Builder({ root, outDir: pdfOutDir, cacheDir, pdf: true, browser, signal: closing.signal })
      // Site rebuilds may go on while Chromium prints: the print reads only its own folder.
      const onStage = (name: string) => name === 'pdf' && release()
      pdfBuilder.on('stage', onStage)
      let summary: BuildSummary
      try {
        summary = await pdfBuilder.build()
      } finally {
        pdfBuilder.off('stage', onStage)
        release()
      }
      const target = path.join(outDir, 'whitepaper.pdf')
      await copyAtomic(path.join(pdfOutDir, 'whitepaper.pdf'), target)
      await copyAtomic(path.join(pdfOutDir, 'whitepaper.pdf'), path.join(siteDir, 'whitepaper.pdf'))
      await copyAtomic(path.join(pdfOutDir, 'whitepaper.html'), path.join(outDir, 'whitepaper.html'))
      result = { ok: true, file: target, pages: summary.pdf?.pages, reused: summary.pdf?.reused, ms: performance.now() - t0, diagnostics: summary.warnings }
      log(`✔ PDF ready: ${relative(target)} (${summary.pdf?.pages} pages${summary.pdf?.reused ? ', unchanged' : `, ${summary.pdf?.passes} print passes`}) in ${formatMs(result.ms)}`)
      if (pdfErrors.length) {
        pdfErrors = []
        if (last?.ok !== false) broadcast('ok', {})
      }
      broadcast('pdf', { ok: true, file: 'whitepaper.pdf', pages: result.pages })
    } catch (error) {
      release()
      if (closing.signal.aborted) return
      const diagnostics = error instanceof BuildError ? error.diagnostics : [{ file: 'whitepaper.pdf', severity: 'error' as const, message: `PDF build crashed: ${(error as Error)?.message ?? error}`, ruleId: 'dev:pdf' }]
      result = { ok: false, ms: performance.now() - t0, diagnostics }
      for (const d of diagnostics) log(formatDiagnostic(d))
      log(`✖ PDF not rebuilt (${plural(diagnostics.filter((d) => d.severity === 'error').length, 'error')}); dist/whitepaper.pdf is the previous one`)
      pdfErrors = diagnostics
      if (last?.ok !== false) broadcast('errors', errorPayload('PDF build failed', diagnostics))
    }
    for (const listener of pdfListeners) listener(result)
  }

  // ── HTTP ──
  let firstBuild: Promise<RebuildResult> | undefined
  const server = http.createServer((request, response) => {
    serve(request, response).catch((error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      response.end(`Internal error: ${(error as Error).message}`)
    })
  })
  const serve = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed')
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request')
      return
    }
    if (pathname === EVENTS_PATH) {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' })
      response.write('retry: 500\n\n')
      clients.add(response)
      request.on('close', () => clients.delete(response))
      sendState(response)
      return
    }
    // Until the first build is done there is nothing (or only a stale site) to serve.
    await firstBuild
    const notFound = () => {
      const body = injectScript(notFoundPage(pathname), true)
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
    if (type.startsWith('text/html')) body = injectScript(body.toString('utf8'), false)
    response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
    response.end(request.method === 'HEAD' ? undefined : body)
  }

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const wanted = options.port ?? 4321
      if (error.code === 'EADDRINUSE') reject(new DevServerError(`Port ${wanted} is already in use (is another dev server running?). Stop that process, or choose another port with --port N.`))
      else if (error.code === 'EACCES') reject(new DevServerError(`No permission to listen on port ${wanted}; choose a port above 1023 with --port N.`))
      else reject(new DevServerError(`Cannot listen on ${host}:${wanted}: ${error.message}`))
    }
    server.once('error', onError)
    server.listen(options.port ?? 4321, host, () => {
      server.off('error', onError)
      resolve((server.address() as { port: number }).port)
    })
  })
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n')
  }, 15_000)
  heartbeat.unref()

  // ── watching ──
  const watchTargets = async (): Promise<string[]> => {
    const loaded = await loadConfig(root, new Diagnostics(root))
    const targets = [path.join(root, 'chapters'), path.join(root, 'figures'), path.join(root, 'templates'), path.join(root, 'styles')]
    if (loaded) {
      targets.push(loaded.file, path.resolve(root, loaded.config.templates), path.resolve(root, loaded.config.styles))
      if (loaded.chaptersDir !== root) targets.push(loaded.chaptersDir)
      else targets.push(...loaded.config.chapters.map((name) => path.resolve(root, name)))
    } else {
      targets.push(path.join(root, 'book.yaml'))
    }
    return [...new Set(targets)]
  }
  const ignored = (file: string) => {
    const name = path.basename(file)
    // Dot files, and editors' and `sed -i`'s temporary files.
    return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$|^4913$|^#.*#$|^sed[A-Za-z0-9]{6}$/.test(name) || file.includes(`${path.sep}node_modules${path.sep}`)
  }
  let watched = await watchTargets()
  const watcher: FSWatcher = watch(watched, { ignoreInitial: true, ignored })
  watcher.on('all', (event, file) => {
    if (event === 'addDir') return
    noteChange(file)
  })
  watcher.on('error', (error) => log(`watcher: ${(error as Error).message}`))
  const watcherReady = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  // A config edit may point templates or styles somewhere else.
  rebuildListeners.add((result) => {
    if (!result.changed.some((file) => /(^|\/)book\.ya?ml$/.test(file))) return
    void watchTargets().then((targets) => {
      const added = targets.filter((t) => !watched.includes(t))
      const removed = watched.filter((t) => !targets.includes(t))
      if (added.length) watcher.add(added)
      if (removed.length) watcher.unwatch(removed)
      watched = targets
    })
  })

  if (options.pdf) process.once('exit', killBrowserOnExit)
  log(`▸ building ${relative(root) || path.basename(root)}…`)
  firstBuild = Promise.all([watcherReady, siteBuild([])]).then(([, result]) => result)
  const ready = firstBuild.then((result) => {
    log(`➜ serving ${relative(siteDir)} at ${url}${options.pdf ? ' (the PDF is rebuilt after changes)' : ''}`)
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
      return last
    },
    get errors() {
      return last && !last.ok ? last.diagnostics.filter((d) => d.severity === 'error') : []
    },
    get browserPid() {
      return browser?.browser.process()?.pid
    },
    onRebuild(listener) {
      rebuildListeners.add(listener)
      return () => rebuildListeners.delete(listener)
    },
    onPdf(listener) {
      pdfListeners.add(listener)
      return () => pdfListeners.delete(listener)
    },
    rebuild(changed = []) {
      return new Promise<RebuildResult>((resolve) => {
        waiters.push(resolve)
        for (const file of changed) pending.add(file)
        if (changed.length === 0) pending.add('(manual)')
        runPending()
      })
    },
    close() {
      closed ??= (async () => {
        closing.abort()
        clearTimeout(timer)
        clearTimeout(pdfTimer)
        clearInterval(heartbeat)
        await watcher.close()
        for (const client of clients) client.end()
        clients.clear()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        // Closing the browser ends a print in progress; then wait for the builds to notice.
        await browser?.close()
        const settle = (p: Promise<unknown> | undefined) => p?.catch(() => undefined)
        await Promise.race([Promise.all([settle(running), settle(pdfRunning), settle(firstBuild)]), new Promise((resolve) => setTimeout(resolve, 15_000).unref())])
        await browser?.close()
        process.off('exit', killBrowserOnExit)
      })()
      return closed
    },
  }
}

/** Copy by writing beside the target and renaming, so a reader never sees half a file. */
async function copyAtomic(from: string, to: string): Promise<void> {
  await fs.mkdir(path.dirname(to), { recursive: true })
  const temporary = `${to}.${process.pid}.tmp`
  await fs.copyFile(from, temporary)
  await fs.rename(temporary, to)
}
