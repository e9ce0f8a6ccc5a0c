/**
 * The build as a library: a `Builder` runs the stages and emits progress
 * events; the CLI only displays them. Each stage is one call into its folder:
 * config → parse → collect → figures → styles → site → pdf → write. Output is
 * written to a staging folder and swapped into `dist/` only when every stage
 * has succeeded, so a failed or interrupted build leaves the last good `dist/`
 * untouched.
 */
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Diagnostics, type Diagnostic } from './diagnostics.ts'
import type { Root as HastRoot } from 'hast'
import { loadSetup, setupInputs, type BookSetup } from './config/setup.ts'
import { readChapters, type ChapterInput } from './parse/chapters.ts'
import type { BookModel } from './collect/model.ts'
import { collectChecked } from './collect/check.ts'
import { checkFigures, renderFigures, startValidator } from './figures/stage.ts'
import type { FigureOutput } from './render/rendition.ts'
import { prepareImages, imageFigures, type BookImages } from './images/stage.ts'
import { renderBook } from './render/book.ts'
import { readStyles, type BookStyles } from './site/styles.ts'
import { buildSite, type SiteStageResult } from './site/stage.ts'
import { fontFaceCss, wholeFontReader, type SubsetFont } from './site/fonts.ts'
import type { LaunchedBrowser } from './pdf/browser.ts'
import { PrintBrowser, PrintForecast } from './pdf/launch.ts'
import { pdfMetadata, printDocumentCached } from './pdf/document.ts'
import { fontFile, fontSubset } from './pdf/continued.ts'
import { printPdf, type PdfStageResult } from './pdf/stage.ts'
import type { LayoutResult } from './pdf/layout/verify.ts'
import { SiteWriter } from './write/site.ts'
import { bookView } from './render/view.ts'
import type { SearchRecord } from './site/search.ts'
import { SHARE_IMAGE, shareDocument, shareImage } from './site/share.ts'
import { removeStaleStaging, stagingFolder, swapIn } from './write/swap.ts'
import { countFigures, countModel, describeFigures, describeModel, describePdf } from './describe.ts'
import { StageRunner } from './stage-runner.ts'

export interface BuildOptions {
  /** The book's root folder (holds chapters/, figures/, templates/, styles/). */
  root: string
  /** Output folder. Default: `<root>/dist`. */
  outDir?: string
  /** Caches (figures, fonts, PDFs). Default: `<root>/.cache`. */
  cacheDir?: string
  /** Print the PDF. Default: true. */
  pdf?: boolean
  /** A browser to reuse across builds (dev mode, benchmarks). Launched and closed per build when absent. */
  browser?: LaunchedBrowser
  /** Abort the build; the staging folder is removed and dist/ is left as it was. */
  signal?: AbortSignal
  /**
   * Whether site pages link `whitepaper.pdf`. Default: when this build prints it. Dev mode with --pdf prints it
   * elsewhere and copies it in.
   */
  linkPdf?: boolean
  /** Extra HTML injected before `</body>` of site pages (dev mode's reload script). Never used for publishing. */
  siteInjection?: string
  /**
   * How output reaches `outDir`. `'swap'` (default): a staging folder swapped
   * in when every stage succeeded. `'update'` (dev mode): site files are
   * written straight into `outDir/site`, only those whose bytes changed, each
   * by an atomic rename; files this Builder wrote before and no longer
   * produces are removed. Keep one Builder per output folder for it.
   */
  writeMode?: 'swap' | 'update'
  /**
   * Dev mode: give the site the whole woff2 font files instead of subsets, so
   * that an edit bringing in a new character does not wait for a re-subset
   * (about a second per weight). Default false. The PDF is unaffected.
   */
  wholeFonts?: boolean
  /**
   * Build the site's search index (Pagefind, which runs its own binary). Default true; tests that need no search
   * turn it off, so that they start no child process.
   */
  searchIndex?: boolean
  env?: NodeJS.ProcessEnv
  /**
   * Fail the build on any layout finding (sparse page, widow, split unit…), reported as positioned errors.
   * Default false: the findings are counted in the summary and listed with `--verbose`.
   */
  strict?: boolean
}

export interface StageTiming {
  name: string
  ms: number
  detail?: string
}

export interface BuildSummary {
  outDir: string
  chapters: number
  parts: number
  sections: number
  figures: { total: number; rendered: number; cached: number }
  tables: number
  pdf?: { file: string; pages: number; passes: number; reused: boolean; bytes: number; layout: LayoutResult }
  sitePages: number
  /**
   * Site files written, relative to `outDir/site`: all of them in `'swap'` mode, only the changed ones in `'update'`
   * mode.
   */
  written?: string[]
  stages: StageTiming[]
  warnings: Diagnostic[]
  totalMs: number
  /**
   * The folders and files this build read that may lie outside the book's folder (templates, styles, static files,
   * fonts, the config's folder): with the book's folder, everything a rebuild must compare (see tools/build-stamp.mjs).
   */
  inputs: string[]
}

export interface BuilderEvents {
  stage: [name: string]
  stageEnd: [timing: StageTiming]
  warning: [diagnostic: Diagnostic]
  /**
   * Inside the pdf stage: `pass 1`, `pass 2`… (print and read back), `verify` (the index check) and `conform`
   * (PDF/UA and PDF/A finishing), with their milliseconds.
   */
  printStep: [step: string, ms: number]
  /** With `searchIndex: false`, after the site stage: what the index would hold, for a caller that indexes later. */
  search: [records: SearchRecord[], language: string]
}

export class Builder extends EventEmitter<BuilderEvents> {
  readonly root: string
  readonly outDir: string
  readonly cacheDir: string
  private readonly options: BuildOptions
  private readonly siteWriter = new SiteWriter()
  private readonly wholeFonts = wholeFontReader()

  constructor(options: BuildOptions) {
    super()
    this.options = options
    this.root = path.resolve(options.root)
    this.outDir = path.resolve(options.outDir ?? path.join(this.root, 'dist'))
    this.cacheDir = path.resolve(options.cacheDir ?? path.join(this.root, '.cache'))
  }

  /** Run every stage. Throws a BuildError listing every problem of the failing stage. */
  async build(): Promise<BuildSummary> {
    const started = performance.now()
    const diagnostics = new Diagnostics(this.root)
    const run = new StageRunner(this, diagnostics, this.options.signal)
    const inPlace = this.options.writeMode === 'update'
    if (!inPlace) await removeStaleStaging(this.cacheDir)
    const staging = inPlace ? this.outDir : stagingFolder(this.cacheDir)
    const browser = new PrintBrowser(this.options.browser, this.options.env, this.options.signal)
    const prints = this.options.pdf !== false
    let siteFiles: Promise<string[]> | undefined
    try {
      startValidator(this)
      const setup = await run.stage('config', () => this.setup(diagnostics))
      const inputs = await run.stage(
        'parse',
        () => readChapters(this.root, setup.loaded, diagnostics),
        (r) => `${r.length} chapters`,
      )
      // Launch the browser now if the book will likely print, so that the launch overlaps figures, fonts and site.
      const forecast = new PrintForecast(this.cacheDir, {
        config: setup.loaded.config,
        templates: setup.templates.text,
        chapters: inputs,
      })
      if (prints && (await forecast.changed())) browser.warmUp()
      const { model, images } = await run.stage(
        'collect',
        async () => {
          const collected = collectChecked(inputs, setup.loaded.config, diagnostics)
          return { model: collected, images: await this.images(collected, setup.fonts.family, diagnostics) }
        },
        (r) => `${describeModel(r.model)}, ${r.images.files.size} image files`,
      )
      const charts = await run.stage(
        'figures',
        () => renderFigures(this, model, setup.fonts, diagnostics),
        describeFigures,
      )
      // A figure rendered anew changes the print document: the PDF cannot come from the cache.
      if (prints && countFigures(charts, false) > 0) browser.warmUp()
      const figures = new Map<string, FigureOutput>([...charts, ...imageFigures(images)])
      const trees = await renderBook(model, setup.loaded.config, images)
      const styles = await run.stage('styles', () => this.styles(setup, diagnostics))
      const book = { ...setup, inputs, model, trees, figures, styles, images: images.files }
      const site = await run.stage(
        'site',
        () => this.site(book, staging, diagnostics),
        (r) => `${r.pages} pages`,
      )
      siteFiles = site.files
      siteFiles.catch(() => undefined) // Awaited after the print, whose failure is the one to report.
      const pdf = prints
        ? await run.stage('pdf', () => this.pdf(book, site.printFonts, staging, browser), describePdf)
        : undefined
      if (pdf) await forecast.record()
      const written = await run.stage(
        'site files',
        () => site.files,
        (r) => `${r.length} files`,
      )
      await run.stage('write', () => (inPlace ? Promise.resolve() : swapIn(staging, this.outDir, this.root)))
      return {
        outDir: this.outDir,
        ...countModel(model),
        figures: { total: charts.size, rendered: countFigures(charts, false), cached: countFigures(charts, true) },
        tables: model.tables.length,
        pdf: pdf && { ...pdf, file: path.join(this.outDir, 'whitepaper.pdf') },
        sitePages: site.pages,
        written,
        stages: run.timings,
        warnings: diagnostics.warnings,
        totalMs: performance.now() - started,
        inputs: setupInputs(this.root, setup),
      }
    } finally {
      // The site's files may still be in the making (the print failed): let them end before the staging goes.
      await siteFiles?.catch(() => undefined)
      await browser.close()
      // After an abort the stage's work may still be running: let it fail (its browser is closed) before removing its
      // folder.
      await run.settle()
      await browser.close()
      if (!inPlace) await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  /**
   * Validate everything that `build` reads (config, chapters, references,
   * figure specs and data) without writing any output. Returns every message.
   */
  async check(): Promise<Diagnostic[]> {
    const diagnostics = new Diagnostics(this.root)
    const { loaded, fonts } = await loadSetup(this.root, diagnostics)
    if (!loaded || !fonts) return diagnostics.list
    const model = collectChecked(await readChapters(this.root, loaded, diagnostics), loaded.config, diagnostics)
    await this.images(model, fonts.family, diagnostics)
    await checkFigures(this, model, fonts, diagnostics)
    return diagnostics.list
  }

  /** Every image checked (in the collect stage: one run reports every problem), downscaled, named for the site. */
  private images(model: BookModel, fontFamily: string, diagnostics: Diagnostics): Promise<BookImages> {
    return prepareImages(model, { root: this.root, cacheDir: this.cacheDir, fontFamily, diagnostics })
  }

  /** The styles stage: the book's stylesheets, or the default theme's. */
  private styles(setup: Required<BookSetup>, diagnostics: Diagnostics): Promise<BookStyles> {
    const { config } = setup.loaded
    const folder = path.resolve(this.root, config.styles ?? 'styles')
    return readStyles(folder, setup.fonts, diagnostics, !!config.styles, config.language)
  }

  /** The config stage: config, fonts and templates. */
  private async setup(diagnostics: Diagnostics): Promise<Required<BookSetup>> {
    const { loaded, fonts, templates } = await loadSetup(this.root, diagnostics)
    // A part is missing only when it recorded an error, and then the stage ends before anything reads it.
    return { loaded: loaded!, fonts: fonts!, templates: templates! }
  }

  private async site(book: BookSoFar, staging: string, diagnostics: Diagnostics): Promise<SiteStageResult> {
    const { inputs, model, trees, figures, styles, templates, fonts, images } = book
    const site = await buildSite({
      images,
      root: this.root,
      cacheDir: this.cacheDir,
      config: book.loaded.config,
      configFile: book.loaded.file,
      inputs,
      model,
      trees,
      figures,
      styles,
      templates,
      fonts,
      diagnostics,
      writer: this.siteWriter,
      pageOptions: {
        hasPdf: this.options.linkPdf ?? this.options.pdf !== false,
        hasShareImage: this.drawsShareImage(),
        injection: this.options.siteInjection,
      },
      env: this.options.env,
      searchIndex: this.options.searchIndex !== false,
      wholeFonts: this.options.wholeFonts ? () => this.wholeFonts(book.fonts) : undefined,
      siteDir: path.join(staging, 'site'),
      onlyChanged: this.options.writeMode === 'update',
    })
    if (this.options.searchIndex === false) this.emit('search', site.records, book.loaded.config.language)
    return site
  }

  /** Draw the site's share image into the staging folder, when the book has its template (see `drawsShareImage`). */
  private async shareImage(book: BookSoFar, faces: string, fontKey: string, staging: string, browser: PrintBrowser) {
    const { templates, model } = book
    if (!this.drawsShareImage() || !templates.has('share.html')) return
    const html = shareDocument(templates, bookView(book.loaded.config, model, 'site'), faces, book.fonts.stack)
    const png = await shareImage({ html, dir: staging, fontKey, cacheDir: this.cacheDir, getBrowser: browser.get })
    await fs.writeFile(path.join(staging, 'site', SHARE_IMAGE.file), png)
  }

  /** The share image is drawn by the PDF stage's Chromium, when the book has its template; not in dev mode. */
  private drawsShareImage(): boolean {
    return this.options.pdf !== false && this.options.writeMode !== 'update'
  }

  private async pdf(
    book: BookSoFar,
    subsets: SubsetFont[],
    staging: string,
    browser: PrintBrowser,
  ): Promise<PdfStageResult> {
    const { config } = book.loaded
    const { model, trees, figures, templates, inputs } = book
    // The print's fonts sit beside the print document, not in the site: its pages never load them.
    await fs.mkdir(path.join(staging, 'fonts'), { recursive: true })
    await Promise.all(subsets.map((s) => fs.writeFile(path.join(staging, 'fonts', s.name), s.data)))
    const fontFaces = fontFaceCss(subsets, 'fonts/')
    const fontKey = subsets.map((s) => s.name).join(',')
    // The share image is drawn in a tab of its own while the book prints in another.
    const share = this.shareImage(book, fontFaces, fontKey, staging, browser)
    share.catch(() => undefined) // Awaited after the print, whose failure is the one to report.
    const html = await printDocumentCached(this.cacheDir, {
      config,
      model,
      trees,
      figures,
      templates,
      css: book.styles.print,
      fontFaces,
      boldFont: [
        ...subsets
          .filter((s) => s.family === book.fonts.family && s.weight === 700 && s.style === 'normal')
          .map((s) => fontSubset(s.name, s.data)),
        fontFile(book.fonts.bold),
      ],
    })
    const printed = printPdf({
      model,
      html,
      metadata: pdfMetadata(config, this.options.env),
      language: config.language,
      fontKey,
      fitKey: createHash('sha256').update(`${fontKey}\0${book.styles.print}\0${templates.text}`).digest('hex'),
      staging,
      cacheDir: this.cacheDir,
      browser,
      timeout: Number(this.options.env?.WHITEPAPER_PRINT_TIMEOUT ?? process.env.WHITEPAPER_PRINT_TIMEOUT ?? 120_000),
      onStep: (step, ms) => this.emit('printStep', step, ms),
      layout: {
        trees,
        sources: new Map(inputs.map((input) => [input.file, input.source])),
        strict: this.options.strict,
      },
    })
    const result = await printed
    // A print that hung or crashed restarts the browser, and the share image's tab with it: then it is drawn again.
    await share.catch(() => this.shareImage(book, fontFaces, fontKey, staging, browser))
    return result
  }
}

/** What the stages before the site made, which the site and pdf stages read. */
interface BookSoFar extends Required<BookSetup> {
  inputs: ChapterInput[]
  model: BookModel
  trees: Map<string, HastRoot>
  figures: Map<string, FigureOutput>
  styles: BookStyles
  /** Image files for the site's `images/`, which the print document loads too. */
  images: Map<string, Buffer>
}
