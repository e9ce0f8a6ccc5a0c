/**
 * The characters the book shows, for the glyph check and the font subsets:
 * the site pages, the templates and styles, and what only the print
 * document shows, read from the book model and the config rather than from
 * a print document rendered for the purpose.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { readJson, writeAtomic } from '../write/files.ts'
import type { Diagnostics } from '../diagnostics.ts'
import type { BookConfig } from '../config/config.ts'
import type { BookFonts } from '../config/fonts.ts'
import type { Templates } from '../config/templates.ts'
import type { BookModel } from '../collect/model.ts'
import type { ChapterInput } from '../parse/chapters.ts'
import { bookView } from '../render/view.ts'
import { hyphenator } from '../render/hyphenate.ts'
import type { FigureOutput } from '../render/rendition.ts'
import { missingGlyphs, reportMissingGlyphs, type GlyphSource } from './fonts.ts'
import { positionAt } from '../diagnostics.ts'

/** Text a reader sees: tags, comments and character references resolved. Used for glyph checks and subsetting. */
export function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->|\/\*[\s\S]*?\*\//g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(
      /&(amp|lt|gt|quot|apos);/g,
      (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" })[m]!,
    )
}

/**
 * What the print document shows beyond the chapter bodies, which the site
 * pages already hold: the covers, the index entries with their page numbers,
 * the running headers (CSS strings) and the `表4（续）` rows of long tables.
 */
export function printOnlyText(config: BookConfig, model: BookModel): string {
  const view = bookView(config, model, 'print')
  const { book } = view
  return [
    '0123456789',
    // The hyphens the PDF shows where it breaks a word at a soft hyphen (render/hyphenate.ts).
    hyphenator(config.language) ? '-' : '',
    // The labels only the print document shows (the site pages hold the others that this book uses).
    ...[model.labels.continued, model.labels.contents, model.labels.listOfFigures, model.labels.listOfTables],
    book.title,
    book.subtitle,
    book.titleCss,
    book.subtitleCss,
    book.publisher,
    book.publisherEnglish,
    book.date,
    ...book.backCover.slogan,
    ...book.backCover.contact.flatMap((c) => [c.label, c.value]),
    ...view.front.map((f) => f.title),
    ...view.parts.flatMap((p) => [
      p.numeral ?? '',
      p.label ?? '',
      p.tocNumber ?? '',
      p.title,
      p.subtitle,
      p.headerCss,
      ...p.sections.flatMap((s) => [s.number, s.title, s.heading]),
    ]),
    ...[...model.figures, ...model.tables].flatMap((f) => [f.label, f.caption, f.short, f.source ?? '']),
  ].join('\n')
}

export interface GlyphSources {
  root: string
  config: BookConfig
  /** Absolute path of book.yaml. */
  configFile: string
  inputs: ChapterInput[]
  templates: Templates
  figures: Map<string, FigureOutput>
}

/** How many character sets found complete `.cache/fonts/complete-glyphs.json` remembers (the newest). */
const REMEMBERED_SETS = 8

/**
 * Record an error for every character the book shows that the book font lacks, at its first use in the sources. A
 * character set found complete in the same font files (path, size, modification time) is remembered in `cacheDir`,
 * so that an unchanged book does not open its fonts (about 0.1 s for a CJK font); a set with missing characters is
 * not, so that its errors are always found anew.
 */
export async function checkGlyphs(
  text: string,
  fonts: BookFonts,
  sources: GlyphSources,
  model: BookModel,
  diagnostics: Diagnostics,
  cacheDir: string,
): Promise<void> {
  const rememberFile = path.join(cacheDir, 'fonts', 'complete-glyphs.json')
  const key = createHash('sha256').update([...new Set(text)].sort().join(''))
  for (const face of fonts.faces) {
    const { size, mtimeMs } = await fs.stat(face.file)
    key.update(`\0${face.family}\0${face.style}\0${face.weight}\0${path.resolve(face.file)}\0${size}\0${mtimeMs}`)
  }
  const digest = key.digest('hex')
  const complete = (await readJson<string[]>(rememberFile)) ?? []
  if (complete.includes(digest)) return
  const missing = missingGlyphs(text, fonts)
  if (missing.length === 0) {
    await fs.mkdir(path.dirname(rememberFile), { recursive: true })
    await writeAtomic(rememberFile, JSON.stringify([digest, ...complete].slice(0, REMEMBERED_SETS)))
    return
  }
  const figureFiles = [
    ...new Set(
      model.figures.flatMap((f) => [...(f.spec ? [f.spec] : []), ...(sources.figures.get(f.id)?.dataFiles ?? [])]),
    ),
  ]
  const figureSources = await Promise.all(
    figureFiles.map(async (file) => ({
      file: `figures/${file}`,
      text: await fs.readFile(path.join(sources.root, 'figures', file), 'utf8').catch(() => ''),
    })),
  )
  const templateFile = path.relative(sources.root, path.resolve(sources.root, sources.config.templates ?? 'templates'))
  const chapterSources = sources.inputs.map((i) => ({ file: i.file, text: i.source }))
  const configFile = path.relative(sources.root, sources.configFile)
  const configText = await fs.readFile(sources.configFile, 'utf8')
  reportMissingGlyphs(
    missing,
    [
      ...chapterSources,
      ...figureSources,
      { file: configFile, text: configText },
      { file: templateFile, text: sources.templates.bookText },
      ...(await builtInLabelSources(model, configFile, configText)),
      // What a chart draws beyond its spec and data (vega's number formats, such as − for minus).
      ...model.figures.map((f) => ({
        file: f.chapter.file,
        text: sources.figures.get(f.id)?.svg ?? '',
        place: f.place,
        what: `the chart \`${f.id}\` as drawn`,
      })),
      // Anything else is the engine's or the theme's own text, which the book config's language and fonts choose.
      { file: configFile, text, place: { line: 1, column: 1 }, what: "the engine's or the theme's text" },
    ],
    fonts,
    diagnostics,
  )
}

/**
 * The labels the book takes from its language's built-in set, placed at `language:` in book.yaml: that is where the
 * book chose them, and `labels:` there is where it can replace one.
 */
async function builtInLabelSources(model: BookModel, configFile: string, configText: string): Promise<GlyphSource[]> {
  const offset = /^language:/m.exec(configText)?.index ?? 0
  const place = positionAt(configText, offset)
  return Object.entries(model.labels).map(([key, label]) => ({
    file: configFile,
    text: label.replaceAll('{n}', ''),
    place,
    what: `the built-in label \`${key}\` (“${label}”); set \`labels: { ${key}: … }\` in ${path.basename(configFile)}`,
  }))
}
