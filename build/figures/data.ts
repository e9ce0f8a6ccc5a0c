/**
 * Data files of a spec: find every `data.url`, check that it stays inside
 * the figures folder, read it, and check CSV shape and numeric fields.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { positionAt, type Position } from '../diagnostics.ts'
import { isObject, pointerSegment, type JsonObject, type JsonValue } from './json.ts'

export interface DataReference {
  /** The URL as written in the spec. */
  url: string
  /** JSON pointer of the `url` string, e.g. `/data/url` or `/layer/1/data/url`. */
  pointer: string
  /** Fields the views reading this data encode as quantitative. */
  quantitativeFields: Set<string>
}

export interface DataProblem {
  message: string
  /** `figures:csv-row`, `figures:csv-number`, `figures:csv-empty` or `figures:json-data`. */
  ruleId: string
  /** Absolute path of the file the problem is in. */
  file?: string
  place?: Position
}

/**
 * Every `{"data": {"url": …}}` in the spec (top level, layers, concat and
 * facet children, lookup `from`), with the quantitative fields of the views
 * that read it. A view without its own data reads its parent's.
 */
export function findDataReferences(spec: JsonValue): DataReference[] {
  const references: DataReference[] = []
  const byPointer = new Map<string, DataReference>()

  const visit = (node: JsonValue, pointer: string, inherited: DataReference | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, `${pointer}/${index}`, inherited))
      return
    }
    if (!isObject(node)) return
    let current = inherited
    const data = node['data']
    if (isObject(data) && typeof data['url'] === 'string') {
      const urlPointer = `${pointer}/data/url`
      const reference: DataReference = { url: data['url'], pointer: urlPointer, quantitativeFields: new Set() }
      references.push(reference)
      byPointer.set(urlPointer, reference)
      current = reference
    } else if (isObject(data) || data === null) {
      current = undefined // inline or named data: not a file
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'data') continue
      if (key === 'encoding' && isObject(child) && current) {
        collectQuantitative(child, current.quantitativeFields)
      }
      visit(child, `${pointer}/${pointerSegment(key)}`, current)
    }
  }
  visit(spec, '', undefined)
  return references
}

function collectQuantitative(encoding: JsonObject, into: Set<string>): void {
  const visit = (node: JsonValue): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!isObject(node)) return
    if (node['type'] === 'quantitative' && typeof node['field'] === 'string' && node['aggregate'] !== 'count') {
      into.add(node['field'])
    }
    for (const child of Object.values(node)) visit(child)
  }
  visit(encoding)
}

/**
 * Resolve a data URL against the figures folder, refusing anything that
 * could read outside it. Returns the absolute path or the reason it is refused.
 */
export function resolveDataUrl(figuresDir: string, url: string): { file: string } | { refused: string } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    const scheme = url.slice(0, url.indexOf(':') + 1)
    return {
      refused:
        `uses the URL scheme "${scheme}"; figures may only read files under figures/, so give a relative ` +
        `path such as "data/name.csv"`,
    }
  }
  if (url.startsWith('//') || url.startsWith('\\\\')) {
    return { refused: 'is a network address; give a relative path under figures/, such as "data/name.csv"' }
  }
  if (path.posix.isAbsolute(url) || path.win32.isAbsolute(url)) {
    return { refused: 'is an absolute path; give a path relative to figures/, such as "data/name.csv"' }
  }
  const file = path.resolve(figuresDir, url)
  const relative = path.relative(figuresDir, file)
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return {
      refused:
        'leaves the figures folder through ".."; keep data files under figures/ and give a path such as ' +
        '"data/name.csv"',
    }
  }
  return { file }
}

/** Read a data file, refusing one that is a symbolic link out of the figures folder. */
export async function readDataFile(
  figuresDir: string,
  file: string,
): Promise<{ bytes: Buffer } | { missing: true } | { refused: string }> {
  let real: string
  try {
    real = await fs.realpath(file)
  } catch {
    return { missing: true }
  }
  const realRoot = await fs.realpath(figuresDir).catch(() => figuresDir)
  const relative = path.relative(realRoot, real)
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return { refused: 'is a link that points outside the figures folder; copy the data into figures/data/' }
  }
  try {
    return { bytes: await fs.readFile(real) }
  } catch {
    return { missing: true }
  }
}

/** Parse CSV text (RFC 4180 quoting) into rows of cells, each with its 1-based line and column. */
export function parseCsv(text: string): { cells: { value: string; line: number; column: number }[]; line: number }[] {
  const rows: { cells: { value: string; line: number; column: number }[]; line: number }[] = []
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let lineStart = 0
  let row: { cells: { value: string; line: number; column: number }[]; line: number } = { cells: [], line }
  let rowHasContent = false
  while (i <= text.length) {
    const cellLine = line
    const cellColumn = i - lineStart + 1
    let value = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        if (i >= text.length) break
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (text[i] === '\n') {
          line++
          lineStart = i + 1
        }
        value += text[i]
        i++
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++]
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') value += text[i++]
    }
    row.cells.push({ value, line: cellLine, column: cellColumn })
    if (value !== '') rowHasContent = true
    if (text[i] === ',') {
      i++
      rowHasContent = true
      continue
    }
    // end of line or of text
    if (rowHasContent) rows.push(row)
    if (text[i] === '\r') i++
    if (text[i] === '\n') i++
    if (i >= text.length) break
    line++
    lineStart = i
    row = { cells: [], line }
    rowHasContent = false
  }
  return rows
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/** Check a CSV file: every row has the header's number of cells, and quantitative fields hold numbers or nothing. */
export function checkCsv(file: string, text: string, quantitative: Set<string>, context?: string): DataProblem[] {
  const problems: DataProblem[] = []
  const name = path.basename(file) + (context ? ` (${context})` : '')
  const rows = parseCsv(text)
  const header = rows[0]
  if (!header)
    return [
      {
        file,
        ruleId: 'figures:csv-empty',
        message: `${name} is empty; give a header row and at least one data row`,
        place: { line: 1, column: 1 },
      },
    ]
  const names = header.cells.map((cell) => cell.value.trim())
  for (const row of rows.slice(1)) {
    if (row.cells.length !== names.length) {
      problems.push({
        file,
        ruleId: 'figures:csv-row',
        place: { line: row.line, column: 1 },
        message:
          `Line ${row.line} of ${name} has ${row.cells.length} cells but the header has ${names.length}; add ` +
          `or remove cells (an empty cell between commas means a missing value)`,
      })
      continue
    }
    row.cells.forEach((cell, index) => {
      const field = names[index]!
      const value = cell.value.trim()
      if (quantitative.has(field) && value !== '' && !NUMBER.test(value)) {
        problems.push({
          file,
          ruleId: 'figures:csv-number',
          place: { line: cell.line, column: cell.column },
          message:
            `"${cell.value}" in column "${field}" of ${name} is not a number, but the spec encodes ` +
            `"${field}" as quantitative; write a plain number such as 3753 (no units or thousands separators), or ` +
            `leave the cell empty for a missing value`,
        })
      }
    })
  }
  return problems
}

/** Check a JSON data file: it parses, and quantitative fields hold numbers or null. */
export function checkJsonData(
  file: string,
  text: string,
  quantitative: Set<string>,
  context: string | undefined,
  parse: (
    text: string,
  ) =>
    | { ok: true; value: JsonValue; offsetOf: (pointer: string) => number }
    | { ok: false; message: string; offset: number },
): DataProblem[] {
  const name = path.basename(file) + (context ? ` (${context})` : '')
  const parsed = parse(text)
  if (!parsed.ok)
    return [
      {
        file,
        ruleId: 'figures:json-data',
        place: positionAt(text, parsed.offset),
        message: `Invalid JSON in ${name}: ${parsed.message}`,
      },
    ]
  const problems: DataProblem[] = []
  const rows = Array.isArray(parsed.value) ? parsed.value : []
  rows.forEach((row, index) => {
    if (!isObject(row)) return
    for (const field of quantitative) {
      const value = row[field]
      if (value !== undefined && value !== null && value !== '' && typeof value !== 'number') {
        problems.push({
          file,
          ruleId: 'figures:json-data',
          place: positionAt(text, parsed.offsetOf(`/${index}/${pointerSegment(field)}`)),
          message:
            `${JSON.stringify(value)} in field "${field}" of ${name} is not a number, but the spec encodes ` +
            `"${field}" as quantitative; write a number, or null for a missing value`,
        })
      }
    }
  })
  return problems
}
