/**
 * The site stage: pages, the font files for the characters they use, the stylesheet and the figures' data, written out.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Root as HastRoot } from 'hast'
import type { Diagnostics } from '../diagnostics.ts'
import type { BookConfig } from '../config/config.ts'
import type { BookFonts } from '../config/fonts.ts'
import type { Templates } from '../config/templates.ts'
import type { ChapterInput } from '../parse/chapters.ts'
import type { BookModel } from '../collect/model.ts'
import type { FigureOutput } from '../render/rendition.ts'
import type { SiteWriter } from '../write/site.ts'
import { fontFaceCss, subsetFonts, type SubsetFont } from './fonts.ts'
import { checkGlyphs, printOnlyText, visibleText } from './glyphs.ts'
import { sitePages, type SitePageOptions } from './pages.ts'
import type { BookStyles } from './styles.ts'

export interface SiteStageInput {
  root: string
  cacheDir: string
  config: BookConfig
  inputs: ChapterInput[]
  model: BookModel
  trees: Map<string, HastRoot>
  figures: Map<string, FigureOutput>
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
  diagnostics: Diagnostics
}

export interface SiteStageResult {
  pages: number
  /** Site files written, relative to the site folder. */
  written: string[]
  /** The font files the site got; the print document loads them too. */
  subsets: SubsetFont[]
}

/** Build the site into `siteDir`. With errors recorded, nothing is written. */
export async function buildSite(input: SiteStageInput): Promise<SiteStageResult> {
  const { config, model, fonts, styles, templates } = input
  const pages = sitePages(config, model, input.trees, input.figures, templates, input.pageOptions)
  const shown = visibleText([...pages.values(), templates.text, styles.site, styles.print].join('\n'))
  const allText = `${shown}\n${printOnlyText(config, model)}`
  await checkGlyphs(
    allText,
    fonts,
    { root: input.root, config, inputs: input.inputs, templates, figures: input.figures },
    model,
    input.diagnostics,
  )
  const subsets =
    (input.wholeFonts && (await input.wholeFonts())) ||
    (await subsetFonts(allText, fonts, path.join(input.cacheDir, 'fonts')))
  const files = new Map<string, string | Buffer>()
  for (const subset of subsets) files.set(`fonts/${subset.name}`, subset.data)
  files.set('assets/book.css', `${fontFaceCss(fonts.family, subsets, '../fonts/')}\n${styles.site}`)
  for (const [name, html] of pages) files.set(name, html)
  for (const file of new Set([...input.figures.values()].flatMap((f) => f.dataFiles))) {
    files.set(file, await fs.readFile(path.join(input.root, 'figures', file)))
  }
  // In 'update' mode the site folder is live: leave it alone when this stage is about to fail.
  const written =
    input.diagnostics.errorCount > 0 ? [] : await input.writer.write(input.siteDir, files, input.onlyChanged)
  return { pages: pages.size, written, subsets }
}
