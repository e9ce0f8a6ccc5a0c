/**
 * A chart's data as a reader gets it on the site: a CSV that Excel opens
 * correctly on Chinese Windows (UTF-8 with a byte-order mark) whose header
 * row carries the spec's field titles with their units, and the same rows
 * as an accessible table under the chart.
 *
 * Only CSV data files count as data. JSON data files are a diagram's
 * drawing input (boxes, labels and coordinates), and are not offered.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Element } from 'hast'
import type { Diagnostics } from '../diagnostics.ts'
import { parseCsv } from '../figures/data.ts'
import { parseJson, placeOf, pointerSegment, type JsonValue, type ParsedJson } from '../figures/json.ts'
import type { BookModel } from '../collect/model.ts'
import type { FigureOutput } from '../render/rendition.ts'
import { fill } from '../labels.ts'
import { h, text } from '../render/hast.ts'

export interface ChartData {
  /** The data file's site path, e.g. `data/market-size.csv`. */
  file: string
  /** The file as published: BOM, titled header row, the source's rows. */
  csv: string
  headers: string[]
  rows: string[][]
}

const BOM = '\uFEFF'

/** Whether a figure data file is tabular data to publish (CSV), rather than a diagram's drawing input. */
export function isTabularData(file: string): boolean {
  return path.extname(file).toLowerCase() === '.csv'
}

export interface FieldTitles {
  /** Title by field name. */
  titles: Map<string, string>
  /** Where the spec first names a field (a JSON pointer), for messages about it. */
  pointers: Map<string, string>
}

/**
 * The title of each field, from the first field definition in the spec that
 * names it with a `title` string (any encoding channel, any layer, tooltip
 * lists included).
 */
export function fieldTitles(spec: JsonValue): FieldTitles {
  const titles = new Map<string, string>()
  const pointers = new Map<string, string>()
  const walk = (value: JsonValue, pointer: string) => {
    if (Array.isArray(value)) return value.forEach((item, i) => walk(item, `${pointer}/${i}`))
    if (!value || typeof value !== 'object') return
    const { field, title } = value
    if (typeof field === 'string' && !pointers.has(field)) pointers.set(field, pointer)
    if (typeof field === 'string' && typeof title === 'string' && title.trim() && !titles.has(field))
      titles.set(field, title.trim())
    for (const [key, child] of Object.entries(value)) walk(child, `${pointer}/${pointerSegment(key)}`)
  }
  walk(spec, '')
  return { titles, pointers }
}

/**
 * Rewrite a CSV data file for readers: each column's header becomes its
 * field title; a column without one keeps its name, with a warning at the
 * spec that should give it.
 */
export function publishCsv(
  file: string,
  text: string,
  spec: { file: string; json: ParsedJson },
  diagnostics: Diagnostics,
): ChartData {
  const { titles, pointers } = fieldTitles(spec.json.value)
  const [header, ...body] = parseCsv(text)
  const names = header?.cells.map((cell) => cell.value) ?? []
  const headers = names.map((name) => {
    const title = titles.get(name)
    if (!title) {
      const place = placeOf(spec.json, pointers.get(name) ?? '')
      diagnostics.warn(
        spec.file,
        `Column "${name}" of ${file} has no title in this spec, so its CSV download and data table call it "${name}". Give it one where the spec names the field, or in a tooltip: \`{"field": "${name}", "title": "Name (unit)"}\``,
        'site:data-title',
        place,
      )
    }
    return title ?? name
  })
  const rows = body.map((row) => names.map((_, i) => row.cells[i]?.value ?? ''))
  const lines = [headers, ...rows].map((cells) => cells.map(csvCell).join(','))
  return { file, csv: `${BOM}${lines.join('\r\n')}\r\n`, headers, rows }
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * The data of a chart as a table in a `<details>` (shut by default), with a
 * caption naming the figure. Empty cells read `labels.missing`.
 */
export function dataTable(data: ChartData[], labels: { summary: string; caption: string; missing: string }): Element {
  const tables = data.map((entry) =>
    h('table', {}, [
      h('caption', {}, [text(labels.caption)]),
      h('thead', {}, [
        h(
          'tr',
          {},
          entry.headers.map((name) => h('th', { scope: 'col' }, [text(name)])),
        ),
      ]),
      h(
        'tbody',
        {},
        entry.rows.map((row) =>
          h(
            'tr',
            {},
            row.map((cell, i) =>
              i === 0 ? h('th', { scope: 'row' }, [text(cell)]) : h('td', {}, [text(cell || labels.missing)]),
            ),
          ),
        ),
      ),
    ]),
  )
  return h('details', { className: ['data-table'] }, [h('summary', {}, [text(labels.summary)]), ...tables])
}

/** Figures as the site shows them, and the data files it publishes. */
export interface SiteFigures {
  /** Data links only to tabular data, and a data table under each chart. */
  outputs: Map<string, FigureOutput>
  /** Published data files by site path (`data/market-size.csv`): BOM and titled headers. */
  files: Map<string, string>
}

/** Prepare every chart's data for readers; diagrams (JSON drawing data) get neither link nor table. */
export async function siteFigures(
  root: string,
  model: BookModel,
  figures: Map<string, FigureOutput>,
  diagnostics: Diagnostics,
): Promise<SiteFigures> {
  const outputs = new Map<string, FigureOutput>()
  const files = new Map<string, string>()
  for (const entry of model.figures) {
    const figure = figures.get(entry.id)
    if (!figure) continue
    // An image figure (`src=`) has no data.
    if (!entry.spec) {
      outputs.set(entry.id, figure)
      continue
    }
    const tabular = figure.dataFiles.filter(isTabularData)
    const specFile = path.join(root, 'figures', entry.spec)
    // The figures stage has checked the spec, so it parses.
    const parsed = tabular.length > 0 ? parseJson(await fs.readFile(specFile, 'utf8')) : undefined
    if (!parsed?.ok) {
      outputs.set(entry.id, { svg: figure.svg, dataFiles: [] })
      continue
    }
    const data: ChartData[] = []
    for (const file of tabular) {
      const source = await fs.readFile(path.join(root, 'figures', file), 'utf8')
      const published = publishCsv(file, source, { file: specFile, json: parsed.json }, diagnostics)
      files.set(file, published.csv)
      data.push(published)
    }
    const caption = fill(model.labels.dataCaption, `${entry.label} ${entry.short}`)
    const labels = { summary: model.labels.showData, caption, missing: model.labels.missing }
    outputs.set(entry.id, { svg: figure.svg, dataFiles: tabular, dataTable: dataTable(data, labels) })
  }
  return { outputs, files }
}
