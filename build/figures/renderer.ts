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
import * as vega from 'vega'
import * as vegaLite from 'vega-lite'
import type { Diagnostics, Position } from '../diagnostics.ts'
import { checkCsv, checkJsonData, findDataReferences, parseCsv, readDataFile, resolveDataUrl, type DataProblem } from './data.ts'
import { parseJson, placeOf, type JsonValue, type ParsedJson } from './json.ts'
import { createTextMeasurer, installTextMeasurer, type TextMeasurer } from './measure.ts'
import { prepareValidator, validateSpec } from './schema.ts'
import { writeAtomic } from '../files.ts'
import { finalizeSvg, normalizeSvg } from './svg.ts'

export { createTextMeasurer, installTextMeasurer, isBold } from './measure.ts'

/** Bump when the SVG post-processing changes, so that cached figures are re-rendered. */
const POSTPROCESS_VERSION = 3

/** Part of every cache key: the vega and vega-lite versions and the post-processing version. */
export const RENDERER_VERSION = `vega@${vega.version} vega-lite@${vegaLite.version} figures@${POSTPROCESS_VERSION}`

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

interface PreparedFigure {
  specFile: string
  specText: string
  spec: ParsedJson
  data: { url: string; file: string; relative: string; bytes: Buffer }[]
  summary: string | undefined
}

interface CheckOptions {
  figuresDir: string
  diagnostics: Diagnostics
  /** Where the compiled schema validator may be cached; see `getValidator`. */
  cacheDir?: string
}

type JsonObject = { [key: string]: JsonValue }
const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const toPosix = (file: string): string => file.split(path.sep).join('/')

/** A spec and its data files, read and located but not yet validated. */
interface LoadedFigure {
  specFile: string
  specName: string
  specText: string
  spec: ParsedJson
  data: PreparedFigure['data']
  quantitativeByFile: Map<string, Set<string>>
}

/**
 * Read and parse a spec, find its data URLs, refuse any that leave the
 * figures folder, and read the data files: everything the cache key needs.
 * Returns undefined when there were errors.
 */
async function loadFigure(options: CheckOptions, request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<LoadedFigure | undefined> {
  const { figuresDir, diagnostics } = options
  const shownDir = path.basename(figuresDir)
  const resolvedSpec = resolveDataUrl(figuresDir, request.spec)
  if ('refused' in resolvedSpec) {
    diagnostics.error(request.file, `Figure spec "${request.spec}" ${resolvedSpec.refused.replace('data/name.csv', 'name.vl.json')}`, 'figures:spec-path', request.place)
    return undefined
  }
  const specFile = resolvedSpec.file
  const specName = toPosix(path.relative(figuresDir, specFile))
  let specText: string
  try {
    specText = await fs.readFile(specFile, 'utf8')
  } catch {
    diagnostics.error(request.file, `Figure spec ${shownDir}/${specName} does not exist; create it or fix the spec="${request.spec}" attribute`, 'figures:missing-spec', request.place)
    return undefined
  }

  const parsed = parseJson(specText)
  if (!parsed.ok) {
    diagnostics.error(specFile, `Invalid JSON in ${specName}: ${parsed.error.message}; fix the syntax at this position`, 'figures:json', parsed.error.place)
    return undefined
  }
  const spec = parsed.json

  let failed = false
  const data: PreparedFigure['data'] = []
  const quantitativeByFile = new Map<string, Set<string>>()
  for (const reference of findDataReferences(spec.value)) {
    const place = placeOf(spec, reference.pointer)
    const resolved = resolveDataUrl(figuresDir, reference.url)
    if ('refused' in resolved) {
      diagnostics.error(specFile, `Data URL "${reference.url}" at ${reference.pointer} ${resolved.refused}`, 'figures:data-url', place)
      failed = true
      continue
    }
    const relative = toPosix(path.relative(figuresDir, resolved.file))
    const read = await readDataFile(figuresDir, resolved.file)
    if ('missing' in read) {
      diagnostics.error(specFile, `Data file ${shownDir}/${relative} (from ${reference.pointer} in ${specName}) does not exist; create it or fix the url`, 'figures:missing-data', place)
      failed = true
      continue
    }
    if ('refused' in read) {
      diagnostics.error(specFile, `Data URL "${reference.url}" at ${reference.pointer} ${read.refused}`, 'figures:data-url', place)
      failed = true
      continue
    }
    const fields = quantitativeByFile.get(resolved.file) ?? new Set<string>()
    for (const field of reference.quantitativeFields) fields.add(field)
    quantitativeByFile.set(resolved.file, fields)
    if (!data.some((entry) => entry.file === resolved.file)) data.push({ url: reference.url, file: resolved.file, relative, bytes: read.bytes })
  }
  return failed ? undefined : { specFile, specName, specText, spec, data, quantitativeByFile }
}

/**
 * Validate a loaded figure: the spec against vega-lite's schema, and the data
 * files' contents (CSV shape, numbers in quantitative fields). Skipped on a
 * cache hit, since the same bytes validated when they were rendered.
 */
function validateFigure(options: CheckOptions, loaded: LoadedFigure): PreparedFigure | undefined {
  const { diagnostics } = options
  const { specFile, specName, spec, data } = loaded
  const schemaProblems = validateSpec(spec.value, options.cacheDir)
  for (const problem of schemaProblems) {
    diagnostics.error(specFile, `${problem.pointer || '/'} ${problem.message}`, 'vega-lite:schema', placeOf(spec, problem.pointer))
  }
  if (schemaProblems.length > 0) return undefined

  let failed = false
  const rowsByUrl = new Map<string, Record<string, string>[]>()
  for (const entry of data) {
    const text = entry.bytes.toString('utf8')
    const fields = loaded.quantitativeByFile.get(entry.file) ?? new Set<string>()
    let problems: DataProblem[]
    if (/\.json$/i.test(entry.file)) {
      problems = checkJsonData(entry.file, text, fields, `data of ${specName}`, (source) => {
        const result = parseJson(source)
        return result.ok
          ? { ok: true, value: result.json.value, offsetOf: (pointer) => result.json.pointers.get(pointer) ?? 0 }
          : { ok: false, message: result.error.message, offset: result.error.offset }
      })
    } else if (/\.csv$/i.test(entry.file)) {
      problems = checkCsv(entry.file, text, fields, `data of ${specName}`)
      if (problems.length === 0) {
        const [header, ...rows] = parseCsv(text)
        const names = header?.cells.map((cell) => cell.value.trim()) ?? []
        rowsByUrl.set(entry.url, rows.map((row) => Object.fromEntries(row.cells.map((cell, index) => [names[index]!, cell.value.trim()]))))
      }
    } else {
      problems = []
    }
    for (const problem of problems) {
      diagnostics.error(problem.file ?? specFile, problem.message, problem.ruleId, problem.place)
      failed = true
    }
  }
  if (failed) return undefined
  return { specFile, specText: loaded.specText, spec, data, summary: summarize(spec.value, rowsByUrl) }
}

/** Load and validate, recording every problem. Returns undefined when there were errors. */
async function prepareFigure(options: CheckOptions, request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<PreparedFigure | undefined> {
  const loaded = await loadFigure(options, request)
  if (loaded) await prepareValidator(options.cacheDir)
  return loaded && validateFigure(options, loaded)
}

/**
 * A one-sentence data summary for the `<desc>`, when the spec asks for one with
 * `"usermeta": {"summary": {"label": "year", "value": "value", "unit": "亿元", "flag": "forecast", "flagText": "预测"}}`.
 * Empty cells are reported as missing, so the description follows the data.
 */
function summarize(spec: JsonValue, rowsByUrl: Map<string, Record<string, string>[]>): string | undefined {
  if (!isObject(spec) || !isObject(spec['usermeta'])) return undefined
  const summary = spec['usermeta']['summary']
  if (!isObject(summary) || typeof summary['label'] !== 'string' || typeof summary['value'] !== 'string') return undefined
  const rows = rowsByUrl.values().next().value
  if (!rows) return undefined
  const unit = typeof summary['unit'] === 'string' ? summary['unit'] : ''
  const missing = typeof summary['missingText'] === 'string' ? summary['missingText'] : '数据缺失'
  const parts = rows.map((row) => {
    const value = row[summary['value'] as string] ?? ''
    const flag = typeof summary['flag'] === 'string' && row[summary['flag']] && row[summary['flag']] !== 'false' && row[summary['flag']] !== '0'
    const flagText = flag && typeof summary['flagText'] === 'string' ? `（${summary['flagText']}）` : ''
    return `${row[summary['label'] as string] ?? ''}：${value === '' ? missing : `${value}${unit}`}${flagText}`
  })
  return parts.join('；') + '。'
}

function describe(prepared: PreparedFigure): string {
  const spec = prepared.spec.value
  const base = isObject(spec) && typeof spec['description'] === 'string' ? spec['description'] : ''
  return [base, prepared.summary].filter(Boolean).join(' ') || '图表'
}

function cacheKey(prepared: Pick<PreparedFigure, 'specText' | 'data'>, fontFamily: string): string {
  const hash = createHash('sha256')
  const part = (value: string | Buffer): void => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
    hash.update(`${bytes.length}:`)
    hash.update(bytes)
  }
  part(RENDERER_VERSION)
  part(fontFamily)
  part(prepared.specText)
  for (const entry of prepared.data) {
    part(entry.relative)
    part(entry.bytes)
  }
  return hash.digest('hex')
}

/** A vega loader that serves only the data files already checked for this figure. */
function createLoader(figuresDir: string, files: Map<string, string>): vega.Loader {
  const resolve = (uri: string): string => {
    const resolved = resolveDataUrl(figuresDir, uri)
    if ('refused' in resolved) throw new Error(`Data URL "${uri}" ${resolved.refused}`)
    return resolved.file
  }
  const serve = async (file: string): Promise<string> => {
    const text = files.get(file)
    if (text === undefined) throw new Error(`Data file ${file} was not declared as a data url of this spec`)
    return text
  }
  const loader = {
    options: { baseURL: figuresDir },
    fileAccess: true,
    sanitize: async (uri: string) => ({ href: resolve(uri) }),
    load: async (uri: string) => serve(resolve(uri)),
    file: async (file: string) => serve(resolve(file)),
    http: async (url: string) => {
      throw new Error(`Refusing to fetch ${url}: figures read only files under figures/`)
    },
  }
  return loader as unknown as vega.Loader
}

interface CollectedLog {
  errors: string[]
  warnings: string[]
}

function collectingLogger(log: CollectedLog) {
  let level = 2
  const text = (args: unknown[]): string => args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')
  const logger = {
    level(value?: number) {
      if (value === undefined) return level
      level = value
      return logger
    },
    error(...args: unknown[]) {
      log.errors.push(text(args))
      return logger
    },
    warn(...args: unknown[]) {
      log.warnings.push(text(args))
      return logger
    },
    info() {
      return logger
    },
    debug() {
      return logger
    },
  }
  return logger
}

/** Compile a checked spec with the book's font, reporting vega-lite's warnings and errors. */
function compileSpec(prepared: PreparedFigure, fontFamily: string, diagnostics: Diagnostics): vega.Spec | undefined {
  const log: CollectedLog = { errors: [], warnings: [] }
  const spec = structuredClone(prepared.spec.value) as JsonObject
  // The pages define the font; a spec may not name another one.
  const config = isObject(spec['config']) ? spec['config'] : {}
  spec['config'] = { aria: false, ...config, font: fontFamily }
  let compiled: vega.Spec
  try {
    compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec, { logger: collectingLogger(log) as never }).spec
  } catch (error) {
    diagnostics.error(prepared.specFile, `Vega-Lite could not compile the spec: ${(error as Error).message}`, 'vega-lite:compile', { line: 1, column: 1 })
    return undefined
  }
  for (const warning of log.warnings) diagnostics.warn(prepared.specFile, `Vega-Lite: ${warning}`, 'vega-lite:compile')
  for (const error of log.errors) diagnostics.error(prepared.specFile, `Vega-Lite: ${error}`, 'vega-lite:compile')
  return log.errors.length > 0 ? undefined : compiled
}

/**
 * Build the vega view of a checked figure, with measurement installed.
 * Exposed for layout tests (text fit); callers must `finalize()` the view.
 */
export async function buildView(prepared: PreparedFigure, options: { figuresDir: string; fontFamily: string; measure: TextMeasurer; diagnostics: Diagnostics }): Promise<vega.View | undefined> {
  const compiled = compileSpec(prepared, options.fontFamily, options.diagnostics)
  if (!compiled) return undefined
  installTextMeasurer(options.measure)
  const files = new Map(prepared.data.map((entry) => [entry.file, entry.bytes.toString('utf8')]))
  const log: CollectedLog = { errors: [], warnings: [] }
  const view = new vega.View(vega.parse(compiled), {
    renderer: 'none',
    loader: createLoader(options.figuresDir, files),
    logger: collectingLogger(log) as never,
  })
  try {
    await view.runAsync()
  } catch (error) {
    log.errors.push((error as Error).message)
  }
  // A field whose cells are all empty ("missing") has no extent; that is expected, not a problem.
  const warnings = log.warnings.filter((warning) => !/^Infinite extent for field /.test(warning))
  for (const warning of warnings) options.diagnostics.warn(prepared.specFile, `Vega: ${warning}`, 'vega:runtime')
  for (const error of log.errors) options.diagnostics.error(prepared.specFile, `Vega: ${error}`, 'vega:runtime')
  if (log.errors.length > 0) {
    view.finalize()
    return undefined
  }
  return view
}

/**
 * Validate a figure without rendering it, for `npm run check`: spec JSON,
 * schema, data URLs, data files, and that vega-lite compiles it. Problems go
 * to `options.diagnostics`; the result is undefined when there were errors.
 */
export async function checkFigure(options: CheckOptions & { fontFamily?: string }, request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<FigureCheck | undefined> {
  const prepared = await prepareFigure(options, request)
  if (!prepared) return undefined
  if (!compileSpec(prepared, options.fontFamily ?? 'sans-serif', options.diagnostics)) return undefined
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

  /** The checked inputs of a figure (exposed for tests and tooling). */
  prepare(request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<PreparedFigure | undefined> {
    return prepareFigure(this.options, request)
  }

  /** The live vega view of a figure, for layout inspection. The caller must `finalize()` it. */
  async view(request: Pick<FigureRequest, 'spec' | 'file' | 'place'>): Promise<vega.View | undefined> {
    const prepared = await this.prepare(request)
    return prepared && buildView(prepared, { ...this.options, measure: this.measure })
  }

  /** Render one figure; returns undefined when it recorded errors. */
  async render(request: FigureRequest): Promise<RenderedFigure | undefined> {
    const { cacheDir, diagnostics, fontFamily } = this.options
    const loaded = await loadFigure(this.options, request)
    if (!loaded) return undefined
    const hash = cacheKey(loaded, fontFamily)
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
    return new Map(requests.filter((request) => results.has(request.id)).map((request) => [request.id, results.get(request.id)!]))
  }
}

export type { PreparedFigure }
