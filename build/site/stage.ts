/**
 * The site stage: pages, the font files for the characters they use, the stylesheet and script, the figures' data,
 * the search index and the book's static files, written out.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Root as HastRoot } from 'hast'
import type { Diagnostics } from '../diagnostics.ts'
import { buildDate, type BookConfig } from '../config/config.ts'
import type { BookFonts } from '../config/fonts.ts'
import type { Templates } from '../config/templates.ts'
import type { ChapterInput } from '../parse/chapters.ts'
import type { BookModel } from '../collect/model.ts'
import type { FigureOutput } from '../render/rendition.ts'
import type { SiteWriter } from '../write/site.ts'
import { fontFaceCss, resubsetFonts, subsetFonts, type SubsetFont } from './fonts.ts'
import { checkGlyphs, printOnlyText, visibleText } from './glyphs.ts'
import { sitePages, UTILITY_PAGES, type SitePageOptions } from './pages.ts'
import type { BookStyles } from './styles.ts'
import { siteFigures } from './data.ts'
import { cachedBoldText } from './bold.ts'
import { readSiteScript, siteAssets, staticFiles } from './assets.ts'
import type { SearchRecord } from './search.ts'
import { ASCII, firstFonts, fontHead, fontsScript, FONTS_SCRIPT } from './opening.ts'

export interface SiteStageInput {
  root: string
  cacheDir: string
  config: BookConfig
  /** Absolute path of book.yaml. */
  configFile: string
  inputs: ChapterInput[]
  model: BookModel
  trees: Map<string, HastRoot>
  figures: Map<string, FigureOutput>
  /** Image files by site-relative name. */
  images: Map<string, Buffer>
  templates: Templates
  styles: BookStyles
  fonts: BookFonts
  pageOptions: SitePageOptions
  /** Dev mode: the whole font files instead of subsets; undefined where they cannot serve (not woff2). */
  wholeFonts?: () => Promise<SubsetFont[] | undefined>
  siteDir: string
  writer: SiteWriter
  /** Write only the files that changed, in place (dev mode); otherwise every file. */
  onlyChanged: boolean
  env?: NodeJS.ProcessEnv
  /** Build the search index (see `BuildOptions.searchIndex`). */
  searchIndex: boolean
  diagnostics: Diagnostics
}

export interface SiteStageResult {
  pages: number
  /**
   * The font files the print document loads: every character the book uses, in both weights, as TrueType/OpenType
   * (`sfnt`) files, quick to make; in dev mode the whole font files.
   */
  printFonts: SubsetFont[]
  /**
   * The rest of the site (its woff2 fonts, the pages that name them, stylesheet, script and search index), made and
   * written while the PDF prints: most of a cold site's time is woff2 compression, in worker threads. Resolves to the
   * site files written, relative to the site folder. The images and static files, which the print document may
   * load, are written before the stage ends.
   */
  files: Promise<string[]>
  /** The search index's records, in book order (indexed here unless `searchIndex` is false). */
  records: SearchRecord[]
}

/** Build the site into `siteDir`. With errors recorded, nothing is written. */
export async function buildSite(input: SiteStageInput): Promise<SiteStageResult> {
  const { config, model, styles, templates, diagnostics } = input
  const fonts = shippedFonts(input.fonts, styles)
  const shown = await siteFigures(input.root, model, input.figures, diagnostics)
  const script = await readSiteScript(path.resolve(input.root, config.templates ?? 'templates'), model.labels)
  const rendered = sitePages(config, model, input.trees, shown.outputs, templates, input.pageOptions)
  const text = visibleText([...rendered.pages.values(), templates.text, styles.site, styles.print, script].join('\n'))
  const allText = `${text}\n${printOnlyText(config, model)}`
  const glyphSources = {
    root: input.root,
    config,
    configFile: input.configFile,
    inputs: input.inputs,
    templates,
    figures: input.figures,
  }
  await checkGlyphs(allText, fonts, glyphSources, model, diagnostics, input.cacheDir)
  // In 'update' mode the site folder is live: leave it alone when this stage is about to fail.
  if (diagnostics.errorCount > 0)
    return { pages: rendered.pages.size, printFonts: [], files: Promise.resolve([]), records: rendered.records }
  const wholeFonts = input.wholeFonts && (await input.wholeFonts())
  const fontCache = path.join(input.cacheDir, 'fonts')
  const printFonts = wholeFonts || (await subsetFonts(allText, fonts, fontCache, [400, 700], 'sfnt'))
  const early = new Map([...input.images, ...(await staticFiles(input.root, config))])
  // In 'update' mode (dev) every file goes in one write, which removes the files no longer made.
  const written = input.onlyChanged ? [] : await input.writer.write(input.siteDir, early, false)
  await fs.mkdir(input.siteDir, { recursive: true }) // The PDF stage copies the PDF in.
  const rest = { ...input, rendered, shown: shown.files, script, allText, printFonts, wholeFonts, fontCache }
  const files = siteFiles(rest).then((files) =>
    input.writer.write(input.siteDir, input.onlyChanged ? new Map([...early, ...files]) : files, input.onlyChanged),
  )
  const pages = rendered.pages.size
  return { pages, printFonts, files: files.then((names) => [...written, ...names]), records: rendered.records }
}

interface SiteFilesInput extends Omit<SiteStageInput, 'wholeFonts'> {
  rendered: ReturnType<typeof sitePages>
  /** The figures' data files. */
  shown: Map<string, string>
  script: string
  allText: string
  printFonts: SubsetFont[]
  wholeFonts: SubsetFont[] | undefined
  fontCache: string
}

/** The site's files but its images and static files: pages with their fonts, stylesheet, script, search index. */
async function siteFiles(input: SiteFilesInput): Promise<Map<string, string | Buffer>> {
  const { config, styles, rendered, script, wholeFonts, fontCache } = input
  // The site's whole faces (every character it shows, the bold one only what its stylesheet sets in bold) and each
  // page's first files, all cut from the print's subsets (which hold every character) at once, in worker threads.
  // The regular face, the largest job, starts before the bold text is known.
  const weight = (w: 400 | 700) => input.printFonts.filter((f) => f.weight === w)
  const regularFonts = wholeFonts ? undefined : resubsetFonts(weight(400), input.allText, fontCache)
  regularFonts?.catch(() => undefined) // Awaited below, unless the bold text fails first.
  const bold = wholeFonts
    ? ''
    : `${await cachedBoldText([...rendered.pages.values()], styles.site, fontCache)}\n${ASCII}`
  const pages = new Map(rendered.pages)
  const [regular, siteBold, perPage] = !regularFonts
    ? [wholeFonts!, [], []]
    : await Promise.all([
        regularFonts,
        resubsetFonts(weight(700), bold, fontCache),
        firstFonts({
          pages: [...pages.values()],
          css: styles.site,
          script,
          sources: input.printFonts,
          wholeText: { 400: input.allText, 700: bold },
          cacheDir: fontCache,
        }),
      ])
  const siteSubsets = wholeFonts || [...regular, ...siteBold]
  // Published pages declare their own small first files, and bring the whole faces after the first paint.
  const files = new Map<string, string | Buffer>()
  const names = [...pages.keys()]
  for (const [index, first] of perPage.entries()) {
    for (const subset of first) files.set(`fonts/${subset.name}`, subset.data)
    const name = names[index]!
    pages.set(name, pages.get(name)!.replace('</head>', `${fontHead(first, siteSubsets, 'fonts/')}</head>`))
  }
  if (!wholeFonts) files.set(FONTS_SCRIPT, fontsScript(siteSubsets, 'fonts/'))
  for (const subset of siteSubsets) files.set(`fonts/${subset.name}`, subset.data)
  for (const [name, html] of pages) files.set(name, html)
  for (const [name, csv] of input.shown) files.set(name, csv)
  const assets = await siteAssets({
    config,
    pages: [...pages.keys()].filter((name) => !(UTILITY_PAGES as readonly string[]).includes(name)),
    records: input.searchIndex ? rendered.records : undefined,
    cacheDir: input.cacheDir,
    css: wholeFonts ? `${fontFaceCss(wholeFonts, '../fonts/')}\n${styles.site}` : styles.site,
    script,
    minify: !input.onlyChanged,
    date: buildDate(config, input.env),
  })
  for (const [name, content] of assets) files.set(name, content)
  return files
}

/**
 * The fonts the pages use: the main font, and a Latin companion only when the stylesheets name it (the default theme
 * does, through `--book-font`; a book with its own common.css may not), so that no unused font file is published and
 * the glyph check counts only fonts that are shown.
 */
function shippedFonts(fonts: BookFonts, styles: BookStyles): BookFonts {
  const named = (family: string) =>
    family === fonts.family || [styles.site, styles.print].some((css) => css.includes(JSON.stringify(family)))
  return { ...fonts, faces: fonts.faces.filter((face) => named(face.family)) }
}
