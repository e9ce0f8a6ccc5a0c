/**
 * Compiling a checked spec with vega-lite and running it in a vega View that may read only the figure's checked files.
 * Imported only when a figure is rendered or checked: vega and vega-lite take a while to load, and a build whose
 * figures all come from the cache needs neither.
 */
import * as vega from 'vega'
import * as vegaLite from 'vega-lite'
import type { Diagnostics } from '../diagnostics.ts'
import { resolveDataUrl } from './data.ts'
import { isObject, type JsonObject } from './json.ts'
import type { TextMeasurer } from './measure.ts'
import type { PreparedFigure } from './load.ts'

/** Point vega's global text measurement hook at `measure`. */
function installTextMeasurer(measure: TextMeasurer): void {
  const metrics = (vega as unknown as { textMetrics: { width: TextMeasurer } }).textMetrics
  metrics.width = measure
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
  const text = (args: unknown[]): string =>
    args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')
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
export function compileSpec(
  prepared: PreparedFigure,
  fontFamily: string,
  diagnostics: Diagnostics,
): vega.Spec | undefined {
  const log: CollectedLog = { errors: [], warnings: [] }
  const spec = structuredClone(prepared.spec.value) as JsonObject
  // The pages define the font; a spec may not name another one.
  const config = isObject(spec['config']) ? spec['config'] : {}
  spec['config'] = { aria: false, ...config, font: fontFamily }
  let compiled: vega.Spec
  try {
    compiled = vegaLite.compile(spec as unknown as vegaLite.TopLevelSpec, {
      logger: collectingLogger(log) as never,
    }).spec
  } catch (error) {
    diagnostics.error(
      prepared.specFile,
      `Vega-Lite could not compile the spec: ${(error as Error).message}`,
      'vega-lite:compile',
      { line: 1, column: 1 },
    )
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
export async function buildView(
  prepared: PreparedFigure,
  options: { figuresDir: string; fontFamily: string; measure: TextMeasurer; diagnostics: Diagnostics },
): Promise<vega.View | undefined> {
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
