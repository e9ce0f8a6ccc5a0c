/**
 * Reading a figure: its spec and data files located, parsed and validated,
 * with every problem positioned in the file it is in.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Diagnostics } from '../diagnostics.ts'
import {
  checkCsv,
  checkJsonData,
  findDataReferences,
  parseCsv,
  readDataFile,
  resolveDataUrl,
  type DataProblem,
} from './data.ts'
import { isObject, parseJson, placeOf, type JsonValue, type ParsedJson } from './json.ts'
import { prepareValidator, validateSpec } from './schema.ts'
import type { FigureRequest } from './renderer.ts'
import { builtInLabels, fill, summaryWords, type SummaryWords } from '../labels.ts'

/** A figure whose spec and data checked out. */
export interface PreparedFigure {
  specFile: string
  specText: string
  spec: ParsedJson
  data: { url: string; file: string; relative: string; bytes: Buffer }[]
  summary: string | undefined
}

/** Where figures are and where their problems go. */
export interface CheckOptions {
  figuresDir: string
  diagnostics: Diagnostics
  /** Where the compiled schema validator may be cached; see `getValidator`. */
  cacheDir?: string
  /**
   * The words a data summary is written with: the book's `missing` label (数据缺失, No data) for an empty cell, and its
   * punctuation. Without them, the zh-CN built-in labels.
   */
  summaryWords?: SummaryWords
}

const toPosix = (file: string): string => file.split(path.sep).join('/')

/** A spec and its data files, read and located but not yet validated. */
export interface LoadedFigure {
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
export async function loadFigure(
  options: CheckOptions,
  request: Pick<FigureRequest, 'spec' | 'file' | 'place'>,
): Promise<LoadedFigure | undefined> {
  const { figuresDir, diagnostics } = options
  const shownDir = path.basename(figuresDir)
  const resolvedSpec = resolveDataUrl(figuresDir, request.spec)
  if ('refused' in resolvedSpec) {
    diagnostics.error(
      request.file,
      `Figure spec "${request.spec}" ${resolvedSpec.refused.replace('data/name.csv', 'name.vl.json')}`,
      'figures:spec-path',
      request.place,
    )
    return undefined
  }
  const specFile = resolvedSpec.file
  const specName = toPosix(path.relative(figuresDir, specFile))
  let specText: string
  try {
    specText = await fs.readFile(specFile, 'utf8')
  } catch {
    diagnostics.error(
      request.file,
      `Figure spec ${shownDir}/${specName} does not exist; create it or fix the spec="${request.spec}" attribute`,
      'figures:missing-spec',
      request.place,
    )
    return undefined
  }

  const parsed = parseJson(specText)
  if (!parsed.ok) {
    diagnostics.error(
      specFile,
      `Invalid JSON in ${specName}: ${parsed.error.message}; fix the syntax at this position`,
      'figures:json',
      parsed.error.place,
    )
    return undefined
  }
  const spec = parsed.json
  const data = await readSpecData(options, { specFile, specName, spec })
  return data && { specFile, specName, specText, spec, ...data }
}

/** Read every data file the spec names, refusing URLs that leave the figures folder. */
async function readSpecData(
  options: CheckOptions,
  { specFile, specName, spec }: Pick<LoadedFigure, 'specFile' | 'specName' | 'spec'>,
): Promise<Pick<LoadedFigure, 'data' | 'quantitativeByFile'> | undefined> {
  const { figuresDir, diagnostics } = options
  const shownDir = path.basename(figuresDir)
  let failed = false
  const data: PreparedFigure['data'] = []
  const quantitativeByFile = new Map<string, Set<string>>()
  for (const reference of findDataReferences(spec.value)) {
    const place = placeOf(spec, reference.pointer)
    // Refused by its form, or by where it leads on disk (a symlink out of the folder): the same message.
    const refuseUrl = (reason: string) => {
      diagnostics.error(
        specFile,
        `Data URL "${reference.url}" at ${reference.pointer} ${reason}`,
        'figures:data-url',
        place,
      )
      failed = true
    }
    const resolved = resolveDataUrl(figuresDir, reference.url)
    if ('refused' in resolved) {
      refuseUrl(resolved.refused)
      continue
    }
    const relative = toPosix(path.relative(figuresDir, resolved.file))
    const read = await readDataFile(figuresDir, resolved.file)
    if ('missing' in read) {
      diagnostics.error(
        specFile,
        `Data file ${shownDir}/${relative} (from ${reference.pointer} in ${specName}) does not exist; create it or ` +
          `fix the url`,
        'figures:missing-data',
        place,
      )
      failed = true
      continue
    }
    if ('refused' in read) {
      refuseUrl(read.refused)
      continue
    }
    const fields = quantitativeByFile.get(resolved.file) ?? new Set<string>()
    for (const field of reference.quantitativeFields) fields.add(field)
    quantitativeByFile.set(resolved.file, fields)
    if (!data.some((entry) => entry.file === resolved.file))
      data.push({ url: reference.url, file: resolved.file, relative, bytes: read.bytes })
  }
  return failed ? undefined : { data, quantitativeByFile }
}

/**
 * Validate a loaded figure: the spec against vega-lite's schema, and the data
 * files' contents (CSV shape, numbers in quantitative fields). Skipped on a
 * cache hit, since the same bytes validated when they were rendered.
 */
export function validateFigure(options: CheckOptions, loaded: LoadedFigure): PreparedFigure | undefined {
  const { diagnostics } = options
  const { specFile, specName, spec, data } = loaded
  const schemaProblems = validateSpec(spec.value, options.cacheDir)
  for (const problem of schemaProblems) {
    diagnostics.error(
      specFile,
      `${problem.pointer || '/'} ${problem.message}`,
      'vega-lite:schema',
      placeOf(spec, problem.pointer),
    )
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
        rowsByUrl.set(
          entry.url,
          rows.map((row) => Object.fromEntries(row.cells.map((cell, index) => [names[index]!, cell.value.trim()]))),
        )
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
  return {
    specFile,
    specText: loaded.specText,
    spec,
    data,
    summary: summarize(spec.value, rowsByUrl, options.summaryWords),
  }
}

/** Load and validate, recording every problem. Returns undefined when there were errors. */
export async function prepareFigure(
  options: CheckOptions,
  request: Pick<FigureRequest, 'spec' | 'file' | 'place'>,
): Promise<PreparedFigure | undefined> {
  const loaded = await loadFigure(options, request)
  if (loaded) await prepareValidator(options.cacheDir)
  return loaded && validateFigure(options, loaded)
}

/**
 * A one-sentence data summary for the `<desc>`, when the spec asks for one with
 * `"usermeta": {"summary": {"label": "year", "value": "value", "unit": "亿元", "flag": "forecast", "flagText": "预测"}}`.
 * Empty cells are reported as missing (`missingText` in the summary, else the book's `missing` label), so the
 * description follows the data.
 */
function summarize(
  spec: JsonValue,
  rowsByUrl: Map<string, Record<string, string>[]>,
  words: SummaryWords = summaryWords(builtInLabels('zh-CN').labels),
): string | undefined {
  if (!isObject(spec) || !isObject(spec['usermeta'])) return undefined
  const summary = spec['usermeta']['summary']
  if (!isObject(summary) || typeof summary['label'] !== 'string' || typeof summary['value'] !== 'string')
    return undefined
  const rows = rowsByUrl.values().next().value
  if (!rows) return undefined
  const unit = typeof summary['unit'] === 'string' ? summary['unit'] : ''
  const missing = typeof summary['missingText'] === 'string' ? summary['missingText'] : words.missing
  const parts = rows.map((row) => {
    const value = row[summary['value'] as string] ?? ''
    const flag =
      typeof summary['flag'] === 'string' &&
      row[summary['flag']] &&
      row[summary['flag']] !== 'false' &&
      row[summary['flag']] !== '0'
    const flagText = flag && typeof summary['flagText'] === 'string' ? fill(words.summaryFlag, summary['flagText']) : ''
    const shown = value === '' ? missing : `${value}${unit}`
    return `${row[summary['label'] as string] ?? ''}${words.summaryColon}${shown}${flagText}`
  })
  return parts.join(words.summarySeparator) + words.summaryEnd
}
