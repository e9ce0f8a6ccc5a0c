/**
 * The build as a library: a `Builder` runs the stages and emits progress
 * events; the CLI only displays them. Output is written to a staging folder
 * and swapped into `dist/` only when every stage has succeeded, so a failed
 * or interrupted build leaves the last good `dist/` untouched.
 */
import { EventEmitter } from 'node:events'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from 'puppeteer-core'
import { BuildError, Diagnostics, type Diagnostic } from './diagnostics.ts'
import { loadConfig, buildDate, type LoadedConfig } from './config.ts'
import { parseMarkdown, readFrontMatter } from './markdown.ts'
import { collectBook, checkReferences, type BookModel, type ChapterInput } from './model.ts'
import { renderChapter } from './render.ts'
import { loadTemplates, chapterHtml, fillFigures, bookView, type FigureOutput, type Templates } from './pages.ts'
import { resolveFonts, missingGlyphs, reportMissingGlyphs, subsetFonts, fontFaceCss, type BookFonts, type SubsetFont } from './fonts.ts'
import { FigureRenderer, type RenderedFigure } from './figures/index.ts'
import { findBrowser, launchBrowser, type LaunchedBrowser } from './browser.ts'
import { printBook, type IndexEntry } from './print.ts'
import { finishPdf } from './pdf.ts'
import { LABELS } from './labels.ts'
import { writeAtomic } from './files.ts'
import type { Root as HastRoot } from 'hast'

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
  /** Whether site pages link `whitepaper.pdf`. Default: when this build prints it. Dev mode with --pdf prints it elsewhere and copies it in. */
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
  env?: NodeJS.ProcessEnv
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
  pdf?: { file: string; pages: number; passes: number; reused: boolean; bytes: number }
  sitePages: number
  /** Site files written, relative to `outDir/site`: all of them in `'swap'` mode, only the changed ones in `'update'` mode. */
  written?: string[]
  stages: StageTiming[]
  warnings: Diagnostic[]
  totalMs: number
}

export interface BuilderEvents {
  stage: [name: string]
  stageEnd: [timing: StageTiming]
  warning: [diagnostic: Diagnostic]
  /** Inside the pdf stage: `pass 1`, `pass 2`… (print and read back) and `verify` (the index check), with their milliseconds. */
  printStep: [step: string, ms: number]
}


/** Bump when the print pipeline changes in a way that changes the PDF. */
const PRINT_VERSION = '3'

export class Builder extends EventEmitter<BuilderEvents> {
  readonly root: string
  readonly outDir: string
  readonly cacheDir: string
  private readonly options: BuildOptions
  /** `'update'` mode: digest of every site file as last written, by path relative to the site folder. */
  private readonly siteDigests = new Map<string, string>()

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
    const stages: StageTiming[] = []
    const diagnostics = new Diagnostics(this.root)
    const reported = new Set<Diagnostic>()
    const signal = this.options.signal
    let inFlight: Promise<unknown> | undefined
    const stage = async <T>(name: string, work: () => Promise<T>, detail?: (result: T) => string): Promise<T> => {
      signal?.throwIfAborted()
      this.emit('stage', name)
      const t0 = performance.now()
      const running = work()
      inFlight = running
      // An abort ends the build now, not when the stage would have finished (a print can take minutes).
      const result = await untilAborted(running, signal)
      for (const warning of diagnostics.warnings) {
        if (!reported.has(warning)) {
          reported.add(warning)
          this.emit('warning', warning)
        }
      }
      diagnostics.throwIfErrors()
      const timing = { name, ms: performance.now() - t0, detail: detail?.(result) }
      stages.push(timing)
      this.emit('stageEnd', timing)
      return result
    }

    const inPlace = this.options.writeMode === 'update'
    if (!inPlace) await removeStaleStaging(this.cacheDir)
    const staging = inPlace ? this.outDir : path.join(this.cacheDir, `staging-${process.pid}-${Date.now().toString(36)}`)
    let ownBrowser: LaunchedBrowser | undefined
    try {
      const loaded = await stage('config', async () => {
        const loaded = await loadConfig(this.root, diagnostics)
        const fonts = loaded && resolveFonts(loaded.config, this.root, diagnostics, loaded.file)
        const templates = loaded && (await loadTemplates(path.resolve(this.root, loaded.config.templates), diagnostics))
        return loaded && fonts && templates ? { ...loaded, fonts, templates } : undefined
      })
      const { config, fonts, templates } = loaded!

      const inputs = await stage('parse', () => this.readChapters(loaded!, diagnostics), (r) => `${r.length} chapters`)
      const model = await stage('collect', async () => {
        const model = collectBook(inputs, diagnostics)
        checkReferences(model, diagnostics)
        return model
      }, (m) => `${m.parts.length} parts, ${m.parts.reduce((n, p) => n + p.sections.length, 0)} sections, ${m.figures.length} figures, ${m.tables.length} tables`)

      const figures = await stage('figures', () => this.renderFigures(model, fonts, diagnostics), (r) => `${r.size} figures (${[...r.values()].filter((f) => !f.cached).length} rendered, ${[...r.values()].filter((f) => f.cached).length} from cache)`)

      const trees = new Map(model.chapters.map((chapter) => [chapter.id, renderChapter(chapter.tree, model)]))
      const figureOutputs = new Map<string, FigureOutput>([...figures].map(([id, f]) => [id, { svg: f.svg, dataFiles: f.dataFiles }]))
      const css = await stage('styles', () => this.readStyles(path.resolve(this.root, config.styles), diagnostics))

      const site = await stage('site', async () => {
        const pages = this.sitePages(config, model, trees, figureOutputs, templates)
        const printBody = (numbers: Map<string, string>) => this.printDocument(config, model, trees, figureOutputs, templates, css.print, numbers)
        // With whole fonts (dev mode) the text only feeds the glyph check; the print document adds
        // nothing the site pages, templates and digits lack, and the PDF build checks it anyway.
        const printText = this.options.wholeFonts ? '0123456789' : printBody(new Map(model.chapters.map((c) => [c.id, '0123456789'])))
        const allText = visibleText([...pages.values(), printText, templates.text, css.site, css.print].join('\n'))
        const missing = missingGlyphs(allText, fonts)
        if (missing.length > 0) {
          const figureSources = await Promise.all(
            [...new Set(model.figures.flatMap((f) => [f.spec!, ...(figures.get(f.id)?.dataFiles ?? [])]))].map(async (file) => ({
              file: `figures/${file}`,
              text: await fs.readFile(path.join(this.root, 'figures', file), 'utf8').catch(() => ''),
            })),
          )
          const templateSources = [{ file: path.relative(this.root, path.resolve(this.root, config.templates)), text: templates.text }]
          await reportMissingGlyphs(missing, [...inputs.map((i) => ({ file: i.file, text: i.source })), ...figureSources, ...templateSources], fonts, diagnostics)
        }
        const subsets = (this.options.wholeFonts && (await this.wholeFonts(fonts))) || (await subsetFonts(allText, fonts, path.join(this.cacheDir, 'fonts')))
        const files = new Map<string, string | Buffer>()
        for (const subset of subsets) files.set(`fonts/${subset.name}`, subset.data)
        files.set('assets/book.css', `${fontFaceCss(fonts.family, subsets, '../fonts/')}\n${css.site}`)
        for (const [name, html] of pages) files.set(name, html)
        for (const file of new Set([...figures.values()].flatMap((f) => f.dataFiles))) files.set(file, await fs.readFile(path.join(this.root, 'figures', file)))
        // In 'update' mode the site folder is live: leave it alone when this stage is about to fail.
        const written = diagnostics.errorCount > 0 ? [] : await this.writeSite(path.join(staging, 'site'), files, inPlace)
        const faces = fontFaceCss(fonts.family, subsets, 'site/fonts/')
        return { pages: pages.size, written, printHtml: (numbers: Map<string, string>) => printBody(numbers).replace('/*font-faces*/', faces), subsets }
      }, (r) => `${r.pages} pages`)

      let pdfSummary: BuildSummary['pdf']
      if (this.options.pdf !== false) {
        pdfSummary = await stage('pdf', async () => {
          // Never launch a browser once the build is aborted: nothing would close it.
          const launchOwn = async (): Promise<LaunchedBrowser> => {
            signal?.throwIfAborted()
            const launched = await launchBrowser(findBrowser(this.options.env))
            if (signal?.aborted) {
              await launched.close()
              signal.throwIfAborted()
            }
            return launched
          }
          const getBrowser = async (): Promise<Browser> => {
            if (this.options.browser) return this.options.browser.browser
            ownBrowser ??= await launchOwn()
            return ownBrowser.browser
          }
          return this.printPdf(config, model, staging, site.printHtml, site.subsets.map((s) => s.name).join(','), getBrowser, async () => {
            await ownBrowser?.close()
            ownBrowser = await launchOwn()
            return ownBrowser.browser
          })
        }, (r) => `${r.pages} pages, ${r.reused ? 'reused from cache' : `${r.passes} pass${r.passes > 1 ? 'es' : ''}`}`)
      }

      await stage('write', () => (inPlace ? Promise.resolve() : this.swapIn(staging)))
      const sections = model.parts.reduce((n, p) => n + p.sections.length, 0)
      return {
        outDir: this.outDir,
        chapters: model.chapters.length,
        parts: model.parts.length,
        sections,
        figures: { total: figures.size, rendered: [...figures.values()].filter((f) => !f.cached).length, cached: [...figures.values()].filter((f) => f.cached).length },
        tables: model.tables.length,
        pdf: pdfSummary && { ...pdfSummary, file: path.join(this.outDir, 'whitepaper.pdf') },
        sitePages: site.pages,
        written: site.written,
        stages,
        warnings: diagnostics.warnings,
        totalMs: performance.now() - started,
      }
    } finally {
      await ownBrowser?.close()
      // After an abort the stage's work may still be running: let it fail (its browser is closed) before removing its folder.
      if (inFlight) await Promise.race([inFlight.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 15_000).unref())])
      await ownBrowser?.close()
      if (!inPlace) await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined)
    }
  }

  /**
   * Validate everything that `build` reads (config, chapters, references,
   * figure specs and data) without writing any output. Returns every message.
   */
  async check(): Promise<Diagnostic[]> {
    const diagnostics = new Diagnostics(this.root)
    const loaded = await loadConfig(this.root, diagnostics)
    const fonts = loaded && resolveFonts(loaded.config, this.root, diagnostics, loaded.file)
    if (loaded) await loadTemplates(path.resolve(this.root, loaded.config.templates), diagnostics)
    if (!loaded || !fonts) return diagnostics.list
    const inputs = await this.readChapters(loaded, diagnostics)
    const model = collectBook(inputs, diagnostics)
    checkReferences(model, diagnostics)
    await this.renderFigures(model, fonts, diagnostics)
    return diagnostics.list
  }

  private async readChapters(loaded: LoadedConfig, diagnostics: Diagnostics): Promise<ChapterInput[]> {
    const { config, chaptersDir, file: configFile } = loaded
    const inputs: ChapterInput[] = []
    const listed = new Set(config.chapters.map((c) => path.resolve(chaptersDir, c)))
    for (const [index, name] of config.chapters.entries()) {
      const file = path.resolve(chaptersDir, name)
      let source: string
      try {
        source = await fs.readFile(file, 'utf8')
      } catch {
        diagnostics.error(configFile, `Chapter ${name} (chapters[${index}]) is listed in the book config but missing on disk; create it or remove it from \`chapters:\``, 'config:missing-chapter', await yamlPlace(configFile, name))
        continue
      }
      const relative = path.relative(this.root, file).split(path.sep).join('/')
      const tree = parseMarkdown(source)
      const frontMatter = readFrontMatter(tree, relative, diagnostics)
      if (frontMatter) inputs.push({ file: relative, tree, frontMatter, source })
    }
    for (const name of (await fs.readdir(chaptersDir)).sort()) {
      if (name.endsWith('.md') && !listed.has(path.join(chaptersDir, name)) && !/^readme\.md$/i.test(name)) {
        diagnostics.warn(path.join(chaptersDir, name), `This chapter is not listed in \`chapters:\` of ${path.basename(configFile)}, so it is not in the book; add it there, or move it out of the folder`, 'config:unlisted-chapter')
      }
    }
    return inputs
  }

  private async renderFigures(model: BookModel, fonts: BookFonts, diagnostics: Diagnostics): Promise<Map<string, RenderedFigure>> {
    if (model.figures.length === 0) return new Map()
    const renderer = new FigureRenderer({
      figuresDir: path.join(this.root, 'figures'),
      cacheDir: path.join(this.cacheDir, 'figures'),
      fontFamily: fonts.family,
      fontFiles: { regular: fonts.regular, bold: fonts.bold },
      diagnostics,
    })
    return renderer.renderAll(
      model.figures.map((entry) => ({ id: entry.id, spec: entry.spec!, title: `${entry.label} ${entry.caption}`, file: entry.chapter.file, place: entry.place })),
    )
  }

  private async readStyles(dir: string, diagnostics: Diagnostics): Promise<{ site: string; print: string }> {
    const read = async (name: string) => {
      try {
        return await fs.readFile(path.join(dir, name), 'utf8')
      } catch {
        diagnostics.error(path.join(dir, name), `Missing stylesheet styles/${name}`, 'styles:missing')
        return ''
      }
    }
    const [common, site, print] = await Promise.all([read('common.css'), read('site.css'), read('print.css')])
    return { site: `${common}\n${site}`, print: `${common}\n${print}` }
  }

  private sitePages(config: LoadedConfig['config'], model: BookModel, trees: Map<string, HastRoot>, figures: Map<string, FigureOutput>, templates: Templates): Map<string, string> {
    const view = bookView(config, model, 'site')
    const pages = new Map<string, string>()
    const inject = (html: string) => (this.options.siteInjection ? html.replace('</body>', `${this.options.siteInjection}</body>`) : html)
    const order = [{ id: 'index', title: LABELS.home, href: 'index.html' }, ...model.chapters.map((c) => ({ id: c.id, title: c.kind === 'part' ? `${c.numeral} ${c.title}` : c.title, href: `${c.id}.html` }))]
    // The PDF is linked only when this build writes it beside the pages. `isCurrent` marks the page's own TOC entry.
    const pageView = (current: string) => ({
      ...view,
      hasPdf: this.options.linkPdf ?? this.options.pdf !== false,
      isIndex: current === 'index',
      front: view.front.map((f) => ({ ...f, isCurrent: f.id === current })),
      parts: view.parts.map((p) => ({ ...p, isCurrent: p.id === current })),
    })
    pages.set('index.html', inject(templates.render('index.html', { ...pageView('index'), next: order[1] })))
    for (const [index, chapter] of model.chapters.entries()) {
      const body = fillFigures(chapterHtml(trees.get(chapter.id)!, chapter, model, 'site'), figures, 'site', LABELS.data)
      const part = view.parts.find((p) => p.id === chapter.id)
      const page = { id: chapter.id, title: chapter.title, isPart: chapter.kind === 'part', part, body }
      pages.set(`${chapter.id}.html`, inject(templates.render('page.html', { ...pageView(chapter.id), page, prev: order[index], next: order[index + 2] })))
    }
    return pages
  }

  private printDocument(config: LoadedConfig['config'], model: BookModel, trees: Map<string, HastRoot>, figures: Map<string, FigureOutput>, templates: Templates, css: string, numbers: Map<string, string>): string {
    const view = bookView(config, model, 'print', numbers)
    const bodies = new Map(model.chapters.map((chapter) => [chapter.id, fillFigures(chapterHtml(trees.get(chapter.id)!, chapter, model, 'print'), figures, 'print', LABELS.data)]))
    return templates.render('print.html', {
      ...view,
      css: `/*font-faces*/\n${css}`,
      front: view.front.map((f) => ({ ...f, body: bodies.get(f.id) })),
      parts: view.parts.map((p) => ({ ...p, body: bodies.get(p.id) })),
    })
  }

  private async printPdf(
    config: LoadedConfig['config'],
    model: BookModel,
    staging: string,
    html: (numbers: Map<string, string>) => string,
    fontKey: string,
    getBrowser: () => Promise<Browser>,
    restartBrowser: () => Promise<Browser>,
  ): Promise<NonNullable<BuildSummary['pdf']> & { reused: boolean }> {
    const entries: IndexEntry[] = [
      ...model.parts.flatMap((part) => [
        { id: part.id, title: part.title, listed: `${part.numeral}${part.title}` },
        ...part.sections.map((s) => ({ id: s.id, title: s.title, listed: `${s.number}${s.title}` })),
      ]),
      ...[...model.figures, ...model.tables].map((f) => ({ id: f.id, title: `${f.label}${f.caption}`, listed: `${f.label}${f.short}` })),
    ]
    const htmlFile = path.join(staging, 'whitepaper.html')
    const pdfFile = path.join(staging, 'whitepaper.pdf')
    const numbersFile = path.join(this.cacheDir, 'page-numbers.json')
    const previous = await readJson<Record<string, string>>(numbersFile)
    const previousNumbers = new Map(Object.entries(previous ?? {}))
    const date = buildDate(config, this.options.env)
    const metadata = { title: `${config.title} — ${config.subtitle}`.replace(/ — $/, ''), author: config.author, subject: config.subtitle || config.title, keywords: config.keywords.join(', '), creator: config.publisherEnglish || config.publisher, date }

    // An unchanged print document gives the same PDF: reuse it without starting Chromium.
    const key = createHash('sha256').update(PRINT_VERSION).update(html(previousNumbers)).update(fontKey).update(JSON.stringify(metadata)).digest('hex')
    const cached = path.join(this.cacheDir, 'pdf', `${key}.pdf`)
    const cachedPdf = await fs.readFile(cached).catch(() => undefined)
    if (cachedPdf && model.parts.length > 0) {
      await fs.writeFile(htmlFile, html(previousNumbers))
      await fs.writeFile(pdfFile, cachedPdf)
      await fs.copyFile(pdfFile, path.join(staging, 'site', 'whitepaper.pdf'))
      const pages = cachedPdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0
      return { file: pdfFile, pages, passes: 0, reused: true, bytes: cachedPdf.length }
    }
    if (model.parts.length === 0) {
      throw new BuildError([{ file: 'chapters', severity: 'error', message: 'The book has no part (`kind: part`), so it has no body pages to number', ruleId: 'print:no-parts' }])
    }

    const result = await printBook({
      html,
      htmlFile,
      allowedDir: staging,
      entries,
      firstBodyId: model.parts[0]!.id,
      previousNumbers,
      write: (file, data) => fs.writeFile(file, data),
      getBrowser,
      restartBrowser,
      onPass: (pass, ms) => this.emit('printStep', `pass ${pass}`, ms),
      onVerify: (ms) => this.emit('printStep', 'verify', ms),
      timeout: Number(this.options.env?.WHITEPAPER_PRINT_TIMEOUT ?? process.env.WHITEPAPER_PRINT_TIMEOUT ?? 120_000),
    })
    if (result.blocked.length > 0) {
      throw new BuildError([...new Set(result.blocked)].map((url) => ({ file: 'whitepaper.html', severity: 'error', message: `The print document tried to load ${url}, which is not one of the build's own files, so the request was blocked (the PDF may load nothing from the network or elsewhere on disk). Remove it from the templates or styles; the book's output must be self-contained`, ruleId: 'print:network' })))
    }
    const { pages, destinations } = result.readback
    const last = pages.length - 1
    const pdf = finishPdf(result.pdf, metadata, {
      firstBody: destinations.get(model.parts[0]!.id)!,
      // A last page without a printed number (a back cover) gets no number in the viewer either.
      backCover: pages[last]!.footer === '' ? last : undefined,
    })
    await fs.writeFile(pdfFile, pdf)
    await fs.copyFile(pdfFile, path.join(staging, 'site', 'whitepaper.pdf'))
    await fs.mkdir(path.dirname(cached), { recursive: true })
    const finalKey = createHash('sha256').update(PRINT_VERSION).update(html(result.numbers)).update(fontKey).update(JSON.stringify(metadata)).digest('hex')
    await writeAtomic(path.join(this.cacheDir, 'pdf', `${finalKey}.pdf`), pdf)
    await pruneOldest(path.join(this.cacheDir, 'pdf'), PDF_CACHE_ENTRIES)
    await writeAtomic(numbersFile, JSON.stringify(Object.fromEntries(result.numbers), null, 1))
    return { file: pdfFile, pages: result.readback.pages.length, passes: result.passes, reused: false, bytes: pdf.length }
  }

  /** The book's woff2 font files as they are, named like subsets; undefined when a face is not woff2. Read once per Builder. */
  private wholeFontFiles: Promise<SubsetFont[] | undefined> | undefined
  private wholeFonts(fonts: BookFonts): Promise<SubsetFont[] | undefined> {
    const stem = fonts.family.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    const key = `${fonts.regular}\n${fonts.bold}`
    if (this.wholeFontKey !== key) {
      this.wholeFontKey = key
      this.wholeFontFiles = (async () => {
        if (![fonts.regular, fonts.bold].every((file) => file.endsWith('.woff2'))) return undefined
        return Promise.all(
          ([[400, fonts.regular], [700, fonts.bold]] as const).map(async ([weight, file]) => {
            const data = await fs.readFile(file)
            return { weight, name: `${stem}-${weight}.${createHash('sha256').update(data).digest('hex').slice(0, 10)}.woff2`, data }
          }),
        )
      })()
    }
    return this.wholeFontFiles!
  }
  private wholeFontKey: string | undefined

  /**
   * Write the site's files into `siteDir`; returns the paths written. With
   * `onlyChanged`, a file whose bytes equal what is there already is not
   * touched, each write is a rename (a server reading the folder never sees
   * half a file), and files written by an earlier build of this Builder that
   * are no longer produced are removed.
   */
  private async writeSite(siteDir: string, files: Map<string, string | Buffer>, onlyChanged: boolean): Promise<string[]> {
    const written: string[] = []
    const folders = new Set<string>()
    // The folder was removed behind our back (rm -rf dist): what we remember writing is gone.
    if (onlyChanged && !(await fs.stat(siteDir).catch(() => undefined))) this.siteDigests.clear()
    for (const [name, content] of files) {
      const file = path.join(siteDir, name)
      const bytes = typeof content === 'string' ? Buffer.from(content) : content
      const folder = path.dirname(file)
      if (!folders.has(folder)) {
        await fs.mkdir(folder, { recursive: true })
        folders.add(folder)
      }
      if (!onlyChanged) {
        await fs.writeFile(file, bytes)
        written.push(name)
        continue
      }
      const digest = createHash('sha1').update(bytes).digest('hex')
      const known = this.siteDigests.get(name) ?? (await fs.readFile(file).then((b) => createHash('sha1').update(b).digest('hex'), () => undefined))
      if (known !== digest) {
        await writeAtomic(file, bytes)
        written.push(name)
      }
      this.siteDigests.set(name, digest)
    }
    if (onlyChanged) {
      for (const name of [...this.siteDigests.keys()]) {
        if (files.has(name)) continue
        await fs.rm(path.join(siteDir, name), { force: true })
        this.siteDigests.delete(name)
        written.push(name)
      }
    }
    return written
  }

  /**
   * Replace dist/ with the staging folder. The staging folder is first moved
   * (or, across file systems, copied) beside dist/, so that the swap itself is
   * two renames in one folder; any failure restores the old dist/.
   */
  private async swapIn(staging: string): Promise<void> {
    const shown = path.relative(this.root, this.outDir) || this.outDir
    const fail = (message: string) => new BuildError([{ file: shown, severity: 'error', message, ruleId: 'write:dist' }])
    const existing = await fs.lstat(this.outDir).catch(() => undefined)
    if (existing && !existing.isDirectory()) {
      throw fail(`Cannot write the output folder: ${shown} exists and is not a folder. Move that file away, or choose another output folder with --out`)
    }
    const parent = path.dirname(this.outDir)
    for (let folder = parent; folder !== path.dirname(folder); folder = path.dirname(folder)) {
      const stat = await fs.stat(folder).catch(() => undefined)
      if (stat && !stat.isDirectory()) {
        throw fail(`Cannot write the output folder: ${path.relative(this.root, folder) || folder} is a file, not a folder. Move it away, or choose another output folder with --out`)
      }
      if (stat) break
    }
    const next = path.join(parent, `.${path.basename(this.outDir)}-next-${process.pid}`)
    const old = path.join(parent, `.${path.basename(this.outDir)}-old-${process.pid}`)
    let hadOld = false
    try {
      await fs.mkdir(parent, { recursive: true })
      try {
        await fs.rename(staging, next)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
        await fs.cp(staging, next, { recursive: true })
      }
      try {
        await fs.rename(this.outDir, old)
        hadOld = true
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      try {
        await fs.rename(next, this.outDir)
      } catch (error) {
        if (hadOld) await fs.rename(old, this.outDir)
        hadOld = false
        throw error
      }
    } catch (error) {
      await fs.rm(next, { recursive: true, force: true }).catch(() => undefined)
      throw fail(`Cannot write the output folder: ${(error as Error).message}. Check that its parent folder is a writable folder, or choose another with --out`)
    }
    if (hadOld) await fs.rm(old, { recursive: true, force: true })
  }
}

/** Text a reader sees: tags, comments and character references resolved. Used for glyph checks and subsetting. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->|\/\*[\s\S]*?\*\//g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" })[m]!)
}

/** The promise's result, or a rejection with the abort reason as soon as `signal` aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort!)
  }
}

/** How many printed PDFs `.cache/pdf` keeps (the newest). */
const PDF_CACHE_ENTRIES = 4

/** Remove staging folders left by builds whose process died (killed, or a crash) before cleaning up. */
async function removeStaleStaging(cacheDir: string): Promise<void> {
  const names = await fs.readdir(cacheDir).catch(() => [] as string[])
  for (const name of names) {
    const pid = Number(/^staging-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid || isAlive(pid)) continue
    await fs.rm(path.join(cacheDir, name), { recursive: true, force: true }).catch(() => undefined)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Keep only the `keep` most recently written files of a cache folder. */
async function pruneOldest(dir: string, keep: number): Promise<void> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => !name.endsWith('.tmp'))
  const files = await Promise.all(names.map(async (name) => ({ name, mtime: (await fs.stat(path.join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })))
  files.sort((a, b) => b.mtime - a.mtime)
  for (const file of files.slice(keep)) await fs.rm(path.join(dir, file.name), { force: true })
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

async function yamlPlace(file: string, needle: string) {
  const text = await fs.readFile(file, 'utf8').catch(() => '')
  const offset = text.indexOf(needle)
  if (offset < 0) return undefined
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: before.at(-1)!.length + 1 }
}

export { BuildError }
