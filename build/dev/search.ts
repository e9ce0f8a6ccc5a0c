/**
 * The search index in dev mode, rebuilt after the reload is sent. Pagefind
 * takes 100–300 ms to index a book, which an edit would otherwise wait for
 * before its page is served; the index follows a moment later, and until then
 * the search page answers from the previous one.
 */
import path from 'node:path'
import type { BuilderEvents } from '../builder.ts'
import { cachedSearchIndex } from '../site/assets.ts'
import { SiteWriter } from '../write/site.ts'

export interface SearchUpdateOptions {
  siteDir: string
  cacheDir: string
  log: (line: string) => void
}

/** What a build leaves for the index: its records and the book's language (the Builder's `search` event). */
export interface SearchInput {
  records: BuilderEvents['search'][0]
  language: string
}

/** Writes `pagefind/` into the site for the latest records; one index at a time, the newest records winning. */
export class SearchUpdates {
  /** Only `pagefind/`: files whose bytes did not change are not touched, files no longer produced are removed. */
  private readonly writer = new SiteWriter()
  private wanted: SearchInput | undefined
  private written: string | undefined
  private running: Promise<void> = Promise.resolve()

  constructor(private readonly options: SearchUpdateOptions) {}

  /** Index `input` once the index in progress (if any) is written; a newer call before then replaces it. */
  update(input: SearchInput): Promise<void> {
    this.wanted = input
    this.running = this.running.then(() => this.writeWanted())
    return this.running
  }

  /** Settles when every requested index is written (or has failed and been reported). */
  settled(): Promise<void> {
    return this.running
  }

  private async writeWanted(): Promise<void> {
    const input = this.wanted
    this.wanted = undefined
    if (!input) return
    const key = JSON.stringify(input)
    if (key === this.written) return
    try {
      const files = await cachedSearchIndex(input.records, input.language, this.options.cacheDir)
      await this.writer.write(path.join(this.options.siteDir, 'pagefind'), files, true)
      this.written = key
    } catch (error) {
      this.options.log(`✖ search index not updated: ${(error as Error).message ?? error}`)
    }
  }
}
