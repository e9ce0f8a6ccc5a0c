/**
 * Site rebuilds in dev mode. One long-lived `Builder` in `'update'` mode does
 * every rebuild, so the caches it leans on stay warm, and only site files
 * whose bytes changed are written.
 */
import { Builder, BuildError, formatDiagnostic, type BuildSummary, type Diagnostic } from '../index.ts'
import { formatMs, plural, relativeTo } from './format.ts'
import { errorPayload, type LiveReload } from './live-reload.ts'
import type { Lock } from './queue.ts'
import type { SearchInput } from './search.ts'

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
  /** What the search index is to hold (written after the reload, see `search.ts`). */
  search?: SearchInput
}

export interface SiteRebuildOptions {
  root: string
  outDir: string
  cacheDir: string
  /** Link the PDF from the site (dev `--pdf`). */
  linkPdf: boolean
  signal: AbortSignal
  lock: Lock
  liveReload: LiveReload
  log: (line: string) => void
  /** Whether the latest PDF build failed (its overlay stays up until it is fixed). */
  pdfFailing: () => boolean
}

/** The overlay title while the site is broken. */
export const SITE_FAILED = 'Build failed — showing the last good version'

/** Rebuilds the site, reports each outcome in the log and to open pages, and remembers the latest. */
export class SiteRebuilds {
  /** The latest rebuild. */
  last: RebuildResult | undefined
  /** Called after every rebuild. */
  readonly listeners = new Set<(result: RebuildResult) => void>()
  private readonly builder: Builder
  private buildId = `${Date.now().toString(36)}-0`
  private buildCount = 0
  private shownWarnings = new Set<string>()
  /** The search records of the build in progress. */
  private search: SearchInput | undefined

  constructor(private readonly options: SiteRebuildOptions) {
    const { root, outDir, cacheDir, linkPdf, signal } = options
    // Whole fonts: a new character in an edit must not cost a re-subset (~1 s) before the page updates.
    this.builder = new Builder({
      root,
      outDir,
      cacheDir,
      pdf: false,
      linkPdf,
      writeMode: 'update',
      wholeFonts: true,
      // The search index is rebuilt after the reload is sent (`search.ts`), off the edit's path.
      searchIndex: false,
      signal,
    })
    this.builder.on('search', (records, language) => (this.search = { records, language }))
  }

  /** The id of the site as last written; pages compare it to know whether they are stale. */
  get id(): string {
    return this.buildId
  }

  /** Whether the latest rebuild failed. */
  get failing(): boolean {
    return this.last !== undefined && !this.last.ok
  }

  /** Rebuild for `changed` (relative to the root); rejects only when the dev server is closing. */
  async build(changed: string[]): Promise<RebuildResult> {
    const release = await this.options.lock.acquire()
    const t0 = performance.now()
    let result: RebuildResult
    try {
      this.search = undefined
      const summary = await this.builder.build()
      const written = summary.written ?? []
      const ms = performance.now() - t0
      result = {
        ok: true,
        changed,
        written,
        figuresRendered: summary.figures.rendered,
        ms,
        diagnostics: summary.warnings,
        summary,
        search: this.search,
      }
    } catch (error) {
      if (this.options.signal.aborted) throw error
      const diagnostics = error instanceof BuildError ? error.diagnostics : [this.crash(error)]
      result = { ok: false, changed, written: [], figuresRendered: 0, ms: performance.now() - t0, diagnostics }
    } finally {
      release()
    }
    const wasFailing = this.failing
    this.last = result
    if (result.ok) this.reportSuccess(result, wasFailing)
    else this.reportFailure(result)
    for (const listener of this.listeners) listener(result)
    return result
  }

  private crash(error: unknown): Diagnostic {
    const message = `Build crashed: ${(error as Error)?.stack ?? error}`
    return { file: relativeTo(this.options.root, this.options.root), severity: 'error', message, ruleId: 'dev:crash' }
  }

  private reportSuccess(result: RebuildResult, wasFailing: boolean): void {
    const { log, liveReload } = this.options
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic)
    for (const warning of warnings) if (!this.shownWarnings.has(warning)) log(warning)
    this.shownWarnings = new Set(warnings)
    const fixed = wasFailing ? ' (errors fixed)' : ''
    const mark = result.changed.length ? '↻' : '✔'
    log(`${mark} ${describeTrigger(result)} → rebuilt ${describeRebuild(result)} in ${formatMs(result.ms)}${fixed}`)
    if (result.written.length) {
      this.buildId = `${this.buildId.split('-')[0]}-${++this.buildCount}`
      if (wasFailing || !this.options.pdfFailing()) liveReload.broadcast('ok', {})
      liveReload.broadcast('reload', { build: this.buildId, changed: result.written })
    } else if (wasFailing) liveReload.broadcast('ok', {})
  }

  private reportFailure(result: RebuildResult): void {
    const { log, liveReload } = this.options
    for (const d of result.diagnostics) log(formatDiagnostic(d))
    const count = result.diagnostics.filter((d) => d.severity === 'error').length
    const still = 'still serving the last good site'
    log(`✖ ${describeTrigger(result)} → ${plural(count, 'error')} in ${formatMs(result.ms)}; ${still}`)
    liveReload.broadcast('errors', errorPayload(SITE_FAILED, result.diagnostics))
  }
}

function describeTrigger(result: RebuildResult): string {
  return result.changed.length ? `${result.changed.join(', ')} changed` : 'first build'
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
