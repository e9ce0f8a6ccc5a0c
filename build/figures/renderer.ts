/**
 * Figures: Vega-Lite specs in `figures/` rendered to self-contained,
 * deterministic, accessible SVG, cached by content hash.
 *
 * Pipeline per figure: read spec → parse JSON (positioned syntax errors) →
 * validate against vega-lite's schema → find and check every data URL →
 * read and check data files → hash → (cache hit: done) → vega-lite compile →
 * vega View (renderer none, a loader that serves only the checked files) →
 * `toSVG` → id prefixing, accessible name → cache.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type * as vega from 'vega'
import type { Diagnostics, Position } from '../diagnostics.ts'
import type { SummaryWords } from '../labels.ts'
import { writeAtomic } from '../write/files.ts'
import { isObject } from './json.ts'
import { loadFigure, prepareFigure, validateFigure, type CheckOptions, type PreparedFigure } from './load.ts'
import { createTextMeasurer, type FontFiles, type TextMeasurer } from './measure.ts'
import { prepareValidator } from './schema.ts'
import { finalizeSvg, normalizeSvg } from './svg.ts'
import { installedVersion } from './versions.ts'

/** vega and vega-lite, loaded when a figure is rendered or checked (never for a build served from the cache). */
const loadVega = () => import('./vega.ts')

/** Bump when the SVG post-processing changes, so that cached figures are re-rendered. */
const POSTPROCESS_VERSION = 5

/** Part of every cache key: the vega and vega-lite versions and the post-processing version. */
const RENDERER_VERSION = [
  `vega@${installedVersion('vega')}`,
  `vega-lite@${installedVersion('vega-lite')}`,
  `figures@${POSTPROCESS_VERSION}`,
].join(' ')

export interface FigureRendererOptions {
  /** Absolute path of the book's `figures/` folder. Data URLs resolve against it and may not leave it. */
  figuresDir: string
  /** Absolute path of the SVG cache, e.g. `<root>/.cache/figures`; created when missing. */
  cacheDir: string
  /** CSS family the pages define via `@font-face`, e.g. `'Noto Sans SC'`. Every text element uses it. */
  fontFamily: string
  /** TrueType-outline font files used to measure text (bold for weight ≥ 600). */
  fontFiles: { regular: string; bold: string }
  diagnostics: Diagnostics
  /** How many figures `renderAll` works on at once. Default 4. */
  concurrency?: number
  /** The book's words for a data summary: its `missing` label and punctuation (see `CheckOptions`). */
  summaryWords?: SummaryWords
}

export interface FigureRequest {
  /** Figure id, e.g. `fig-market-size`; prefixes every id inside the SVG. */
  id: string
  /** Spec path relative to `figuresDir`, e.g. `market-size.vl.json`. */
  spec: string
  /** Long caption, used as the SVG `<title>`. */
  title: string
  /** Overrides the `<desc>` otherwise taken from the spec's `description` (plus a data summary). */
  description?: string
  /** The chapter file that referenced the figure, for messages about the reference itself. */
  file: string
  place?: Position
}

export interface RenderedFigure {
  id: string
  svg: string
  /** Data files read by the spec, relative to `figuresDir`, e.g. `data/market-size.csv`. */
  dataFiles: string[]
  cached: boolean
  /** The cache key: sha256 of spec, data, renderer version and font family. */
  hash: string
}

/** What `checkFigure` found out about a valid figure. */
export interface FigureCheck {
  /** Absolute path of the spec file. */
  specFile: string
  /** Data files relative to `figuresDir`, in the order the spec names them. */
  dataFiles: string[]
}

/**
 * The SVG's `<desc>`: the spec's description and its data summary. Without either it is empty (the caption, in the
 * `<title>`, names the figure), never a word in one language.
 */
function describe(prepared: PreparedFigure): string {
  const spec = prepared.spec.value
  const base = isObject(spec) && typeof spec['description'] === 'string' ? spec['description'] : ''
  return [base, prepared.summary].filter(Boolean).join(' ')
}

/** The figure's cache key: everything its SVG depends on, each part length-prefixed. */
function cacheKey(
  prepared: Pick<PreparedFigure, 'specText' | 'data'>,
  fontFamily: string,
  words?: SummaryWords,
): string {
  const hash = createHash('sha256')
  const part = (value: string | Buffer): void => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
    hash.update(`${bytes.length}:`)
    hash.update(bytes)
  }
  part(RENDERER_VERSION)
  part(fontFamily)
  // The data summary in the SVG's <desc> is written with the book's labels.
  part(words ? JSON.stringify(words) : '')
  part(prepared.specText)
  for (const entry of prepared.data) {
    part(entry.relative)
    part(entry.bytes)
  }
  return hash.digest('hex')
}

/**
 * Validate a figure without rendering it, for `npm run check`: spec JSON,
 * schema, data URLs, data files, and that vega-lite compiles it. Given the
 * book's `fontFiles`, the vega view runs too (no SVG, no cache), so that
 * vega's runtime errors show as well. Problems go to `options.diagnostics`;
 * the result is undefined when there were errors.
 */
export async function checkFigure(
  options: CheckOptions & { fontFamily?: string; fontFiles?: FontFiles },
  request: Pick<FigureRequest, 'spec' | 'file' | 'place'>,
): Promise<FigureCheck | undefined> {
  const prepared = await prepareFigure(options, request)
  if (!prepared) return undefined
  const fontFamily = options.fontFamily ?? 'sans-serif'
  const { buildView, compileSpec } = await loadVega()
  if (options.fontFiles) {
    const measure = createTextMeasurer(options.fontFiles)
    const view = await buildView(prepared, {
      figuresDir: options.figuresDir,
      fontFamily,
      measure,
      diagnostics: options.diagnostics,
    })
    if (!view) return undefined
    view.finalize()
  } else if (!compileSpec(prepared, fontFamily, options.diagnostics)) return undefined
  return { specFile: prepared.specFile, dataFiles: prepared.data.map((entry) => entry.relative) }
}

/** Renders figure specs to SVG strings, with a content-hash cache on disk. */
export class FigureRenderer {
  readonly options: FigureRendererOptions
  private readonly measure: TextMeasurer
  private cacheReady: Promise<unknown> | undefined

  constructor(options: FigureRendererOptions) {
    this.options = options
    this.measure = createTextMeasurer(options.fontFiles)
  }

  /** The live vega view of a figure, for layout inspection. The caller must `finalize()` it. */
  async view(request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<vega.View | undefined> {
    const prepared = await prepareFigure(this.options, request)
    return prepared && (await loadVega()).buildView(prepared, { ...this.options, measure: this.measure })
  }

  /** Render one figure; returns undefined when it recorded errors. */
  async render(request: FigureRequest): Promise<RenderedFigure | undefined> {
    const { cacheDir, diagnostics, fontFamily } = this.options
    const loaded = await loadFigure(this.options, request)
    if (!loaded) return undefined
    const hash = cacheKey(loaded, fontFamily, this.options.summaryWords)
    const dataFiles = loaded.data.map((entry) => entry.relative)
    const cacheFile = path.join(cacheDir, `${hash}.svg`)
    const finish = (svg: string, cached: boolean): RenderedFigure => ({
      id: request.id,
      svg: finalizeSvg(svg, { id: request.id, title: request.title, description: request.description }),
      dataFiles,
      cached,
      hash,
    })

    const hit = await fs.readFile(cacheFile, 'utf8').catch(() => undefined)
    if (hit !== undefined) return finish(hit, true)

    await prepareValidator(this.options.cacheDir)
    const prepared = validateFigure(this.options, loaded)
    if (!prepared) return undefined
    const { buildView } = await loadVega()
    const view = await buildView(prepared, { ...this.options, measure: this.measure })
    if (!view) return undefined
    let raw: string
    try {
      raw = await view.toSVG()
    } catch (error) {
      diagnostics.error(prepared.specFile, `Vega could not render the SVG: ${(error as Error).message}`, 'vega:render')
      return undefined
    } finally {
      view.finalize()
    }
    const svg = normalizeSvg(raw, { fontFamily, description: describe(prepared) })
    this.cacheReady ??= fs.mkdir(cacheDir, { recursive: true })
    await this.cacheReady
    await writeAtomic(cacheFile, svg)
    return finish(svg, false)
  }

  /** Render many figures, a few at a time; failed ones are absent from the map. */
  async renderAll(requests: FigureRequest[]): Promise<Map<string, RenderedFigure>> {
    const results = new Map<string, RenderedFigure>()
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++]!
        const rendered = await this.render(request)
        if (rendered) results.set(request.id, rendered)
      }
    }
    const concurrency = Math.max(1, this.options.concurrency ?? 4)
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker))
    // Book order, whatever order the workers finished in.
    return new Map(
      requests.filter((request) => results.has(request.id)).map((request) => [request.id, results.get(request.id)!]),
    )
  }
}
