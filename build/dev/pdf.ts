/**
 * PDF rebuilds in dev mode (`--pdf`): a second Builder prints into its own
 * folder under the cache, with one Chromium kept warm, and the finished PDF
 * is then copied into `dist/` (and the site folder, which links it).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {
  Builder,
  BuildError,
  formatDiagnostic,
  launchBrowser,
  writeAtomic,
  type BuildSummary,
  type Diagnostic,
  type LaunchedBrowser,
} from '../index.ts'
import { formatMs, plural, relativeTo } from './format.ts'
import { errorPayload, type LiveReload } from './live-reload.ts'
import type { Lock } from './queue.ts'

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

export interface PdfRebuildOptions {
  root: string
  outDir: string
  cacheDir: string
  signal: AbortSignal
  lock: Lock
  liveReload: LiveReload
  log: (line: string) => void
  /** Whether the latest site rebuild failed (its overlay takes precedence). */
  siteFailing: () => boolean
}

/** The overlay title while the PDF is broken. */
export const PDF_FAILED = 'PDF build failed'

/** Prints the PDF with a warm Chromium, copies it into place, and reports the outcome. */
export class PdfRebuilds {
  /** Errors of the latest PDF build; empty once it succeeds. */
  errors: Diagnostic[] = []
  /** Called after every PDF build. */
  readonly listeners = new Set<(result: PdfResult) => void>()
  private browser: LaunchedBrowser | undefined
  private builder: Builder | undefined
  private readonly printDir: string

  constructor(private readonly options: PdfRebuildOptions) {
    this.printDir = path.join(options.cacheDir, 'dev-pdf')
  }

  /** Process id of the warm Chromium, once launched. */
  get browserPid(): number | undefined {
    return this.browser?.browser.process()?.pid
  }

  /** Print the PDF; never rejects (a failure is reported and kept in `errors`). */
  async build(): Promise<void> {
    const t0 = performance.now()
    let result: PdfResult
    const release = await this.options.lock.acquire()
    try {
      const summary = await this.print(release)
      const target = await this.publish()
      const pdf = summary.pdf
      result = {
        ok: true,
        file: target,
        pages: pdf?.pages,
        reused: pdf?.reused,
        ms: performance.now() - t0,
        diagnostics: summary.warnings,
      }
      this.reportSuccess(result, summary)
    } catch (error) {
      release()
      if (this.options.signal.aborted) return
      result = {
        ok: false,
        ms: performance.now() - t0,
        diagnostics: error instanceof BuildError ? error.diagnostics : [crash(error)],
      }
      this.reportFailure(result.diagnostics)
    }
    for (const listener of this.listeners) listener(result)
  }

  /** Close Chromium; a print in progress ends with it. */
  async close(): Promise<void> {
    await this.browser?.close()
  }

  /** Kill Chromium at once: for `process.on('exit')`, where nothing asynchronous runs. */
  readonly kill = (): void => {
    this.browser?.browser.process()?.kill('SIGKILL')
  }

  private async print(release: () => void): Promise<BuildSummary> {
    if (!this.browser || !this.browser.browser.connected) {
      await this.browser?.close()
      this.browser = await launchBrowser()
      this.builder = undefined
    }
    const { root, cacheDir, signal } = this.options
    // Only the PDF is published from this build: its site needs no search index.
    this.builder ??= new Builder({
      root,
      outDir: this.printDir,
      cacheDir,
      pdf: true,
      searchIndex: false,
      browser: this.browser,
      signal,
    })
    // Site rebuilds may go on while Chromium prints: the print reads only its own folder.
    const onStage = (name: string) => name === 'pdf' && release()
    this.builder.on('stage', onStage)
    try {
      return await this.builder.build()
    } finally {
      this.builder.off('stage', onStage)
      release()
    }
  }

  /** Copy the printed files into `dist/` and the site; returns the PDF's path there. */
  private async publish(): Promise<string> {
    const { outDir } = this.options
    const target = path.join(outDir, 'whitepaper.pdf')
    const pdf = await fs.readFile(path.join(this.printDir, 'whitepaper.pdf'))
    await fs.mkdir(path.join(outDir, 'site'), { recursive: true })
    await writeAtomic(target, pdf)
    await writeAtomic(path.join(outDir, 'site', 'whitepaper.pdf'), pdf)
    await writeAtomic(
      path.join(outDir, 'whitepaper.html'),
      await fs.readFile(path.join(this.printDir, 'whitepaper.html')),
    )
    return target
  }

  private reportSuccess(result: PdfResult, summary: BuildSummary): void {
    const { log, liveReload, root } = this.options
    const pdf = summary.pdf
    const how = pdf?.reused ? ', unchanged' : `, ${pdf?.passes} print passes`
    log(`✔ PDF ready: ${relativeTo(root, result.file!)} (${pdf?.pages} pages${how}) in ${formatMs(result.ms)}`)
    if (this.errors.length) {
      this.errors = []
      if (!this.options.siteFailing()) liveReload.broadcast('ok', {})
    }
    liveReload.broadcast('pdf', { ok: true, file: 'whitepaper.pdf', pages: result.pages })
  }

  private reportFailure(diagnostics: Diagnostic[]): void {
    const { log, liveReload } = this.options
    for (const d of diagnostics) log(formatDiagnostic(d))
    const errors = plural(diagnostics.filter((d) => d.severity === 'error').length, 'error')
    log(`✖ PDF not rebuilt (${errors}); dist/whitepaper.pdf is the previous one`)
    this.errors = diagnostics
    if (!this.options.siteFailing()) liveReload.broadcast('errors', errorPayload(PDF_FAILED, diagnostics))
  }
}

function crash(error: unknown): Diagnostic {
  const message = `PDF build crashed: ${(error as Error)?.message ?? error}`
  return { file: 'whitepaper.pdf', severity: 'error', message, ruleId: 'dev:pdf' }
}
