/** The figures stage: every figure of the book model rendered (or, for `check`, validated) with the book font. */
import path from 'node:path'
import type { Diagnostics } from '../diagnostics.ts'
import type { BookFonts } from '../config/fonts.ts'
import type { BookModel } from '../collect/model.ts'
import { summaryWords } from '../labels.ts'
import { checkFigure, FigureRenderer, type FigureRendererOptions, type RenderedFigure } from './renderer.ts'
import { prepareValidator } from './schema.ts'

export interface FigureFolders {
  /** The book's root: figures are in `<root>/figures`. */
  root: string
  /** The build's cache folder: SVGs go to `<cacheDir>/figures`. */
  cacheDir: string
}

/**
 * Start compiling the spec validator in a worker now, when it is not cached
 * yet, so that a first build compiles it while the config and chapters are
 * read instead of waiting for it in the figures stage. Does nothing when it is
 * cached.
 */
export function startValidator(folders: FigureFolders): void {
  prepareValidator(path.join(folders.cacheDir, 'figures')).catch(() => undefined)
}

/** Render the book's figures in book order; failed ones record errors and are absent from the map. */
export async function renderFigures(
  folders: FigureFolders,
  model: BookModel,
  fonts: BookFonts,
  diagnostics: Diagnostics,
): Promise<Map<string, RenderedFigure>> {
  const charts = model.figures.filter((entry) => entry.spec)
  if (charts.length === 0) return new Map()
  const renderer = new FigureRenderer(rendererOptions(folders, model, fonts, diagnostics))
  return renderer.renderAll(
    charts.map((entry) => ({
      id: entry.id,
      spec: entry.spec!,
      title: `${entry.label} ${entry.caption}`,
      file: entry.chapter.file,
      place: entry.place,
    })),
  )
}

/** Validate the book's figures as `renderFigures` would, without writing any SVG. */
export async function checkFigures(
  folders: FigureFolders,
  model: BookModel,
  fonts: BookFonts,
  diagnostics: Diagnostics,
): Promise<void> {
  const options = rendererOptions(folders, model, fonts, diagnostics)
  for (const entry of model.figures.filter((figure) => figure.spec))
    await checkFigure(options, { spec: entry.spec!, file: entry.chapter.file, place: entry.place })
}

/** The renderer's options for a book: its folders, its font, and its label for an empty cell in a data summary. */
function rendererOptions(
  folders: FigureFolders,
  model: BookModel,
  fonts: BookFonts,
  diagnostics: Diagnostics,
): FigureRendererOptions {
  return {
    figuresDir: path.join(folders.root, 'figures'),
    cacheDir: path.join(folders.cacheDir, 'figures'),
    fontFamily: fonts.family,
    fontFiles: { regular: fonts.regular, bold: fonts.bold },
    summaryWords: summaryWords(model.labels),
    diagnostics,
  }
}
