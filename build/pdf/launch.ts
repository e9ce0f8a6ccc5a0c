/**
 * The browser one build prints with, as the pdf stage sees it: puppeteer is
 * loaded only when a PDF is printed (a build that reuses its cached PDF never
 * loads it), and the launch can start early, while figures, fonts and the
 * site are built, so that the pdf stage finds the browser ready.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import { writeAtomic } from '../write/files.ts'
import type { BrowserLease, LaunchedBrowser } from './browser.ts'

export class PrintBrowser {
  private lease: Promise<BrowserLease> | undefined
  /** The browser in use or being launched; one launch at a time, however many callers ask. */
  private current: Promise<Browser> | undefined

  constructor(
    private readonly shared: LaunchedBrowser | undefined,
    private readonly env: NodeJS.ProcessEnv | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Start launching now, without waiting. A launch that fails is reported by
   * the `get` that follows, or not at all when the build ends before printing.
   */
  warmUp(): void {
    if (this.shared || this.signal?.aborted) return
    this.get().catch(() => undefined)
  }

  /** The browser: the caller's, the one launching, or a new one. */
  readonly get = (): Promise<Browser> => {
    this.current ??= this.leased().then((lease) => lease.get())
    return this.current
  }

  /** Which browser prints, for the PDF cache key; found (the pinned one unpacked on first use), not launched. */
  readonly identity = async (): Promise<string> => (await this.leased()).identity()

  /** After a crash or hang: a fresh browser. */
  readonly restart = (): Promise<Browser> => {
    const previous = this.current?.catch(() => undefined)
    this.current = this.leased().then(async (lease) => {
      await previous
      return lease.restart()
    })
    return this.current
  }

  /** Close the browser this build launched, after its launch has ended if one is under way. */
  async close(): Promise<void> {
    if (!this.lease) return
    await this.current?.catch(() => undefined)
    await (await this.lease.catch(() => undefined))?.close()
  }

  private leased(): Promise<BrowserLease> {
    this.lease ??= import('./browser.ts').then(
      ({ BrowserLease }) => new BrowserLease(this.shared, this.env, this.signal),
    )
    return this.lease
  }
}

/**
 * Whether the book probably prints again, known before the print document
 * exists: the sources it is made of (config, templates, chapters) differ
 * from those of the last build whose pdf stage succeeded. Only a guess for
 * when to launch: the pdf stage's cache decides whether to print. A wrong
 * "no" launches the browser when the pdf stage needs it, as without a guess;
 * a wrong "yes" launches one that is closed unused.
 */
export class PrintForecast {
  private readonly file: string
  readonly key: string

  constructor(
    cacheDir: string,
    sources: { config: unknown; templates: string; chapters: { file: string; source: string }[] },
  ) {
    this.file = path.join(cacheDir, 'printed-sources.txt')
    const hash = createHash('sha256').update(JSON.stringify(sources.config)).update('\0').update(sources.templates)
    for (const chapter of sources.chapters) hash.update(`\0${chapter.file}\0${chapter.source}`)
    this.key = hash.digest('hex')
  }

  /** True unless the last successful pdf stage was given the same sources. */
  async changed(): Promise<boolean> {
    const last = await fs.readFile(this.file, 'utf8').catch(() => '')
    return last.trim() !== this.key
  }

  /** Remember these sources, after the pdf stage succeeded. */
  async record(): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true })
    await writeAtomic(this.file, `${this.key}\n`)
  }
}
