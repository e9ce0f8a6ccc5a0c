/** Figure errors: bad specs, data files and URLs get positioned messages; `checkFigure` validates without rendering. */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkFigure, Diagnostics, formatDiagnostic } from '../../build/index.ts'
import { book, problems, renderer, request } from '../helpers/figures.ts'
import { loadValidator } from '../helpers/book.ts'

beforeAll(loadValidator)

describe('errors', () => {
  const csv = 'label,value\nA,1\nB,2\n'
  const spec = (url: string) =>
    JSON.stringify(
      {
        data: { url },
        mark: 'bar',
        encoding: { x: { field: 'label', type: 'nominal' }, y: { field: 'value', type: 'quantitative' } },
      },
      null,
      2,
    )

  it('reports invalid JSON with line and column', async () => {
    const text = '{\n  "mark": "bar",\n  "data": {"url": "data/a.csv"}\n  "encoding": {}\n}\n'
    expect(await problems({ 'bad.vl.json': text, 'data/a.csv': csv })).toEqual([
      `figures/bad.vl.json:4:3 error Invalid JSON in bad.vl.json: expected ',' or '}' after property "data" but found '"'; fix the syntax at this position figures:json`,
    ])
  })

  it('reports schema errors with the JSON path and its position', async () => {
    const text = spec('data/a.csv').replace('"type": "quantitative"', '"type": "quantitive"')
    expect(await problems({ 'bad.vl.json': text, 'data/a.csv': csv })).toEqual([
      'figures/bad.vl.json:13:15 error /encoding/y/type must be one of "quantitative", "ordinal", "temporal", "nominal", "geojson" vega-lite:schema',
    ])
  })

  it('reports a missing spec at the chapter reference', async () => {
    expect(await problems({}, 'nope.vl.json')).toEqual([
      'chapters/01.md:3:1 error Figure spec figures/nope.vl.json does not exist; create it or fix the spec="nope.vl.json" attribute figures:missing-spec',
    ])
  })

  it('reports a missing data file', async () => {
    expect(await problems({ 'bad.vl.json': spec('data/nope.csv') })).toEqual([
      'figures/bad.vl.json:3:12 error Data file figures/data/nope.csv (from /data/url in bad.vl.json) does not exist; create it or fix the url figures:missing-data',
    ])
  })

  it('refuses a ../ escape', async () => {
    expect(await problems({ 'bad.vl.json': spec('../secret.csv') })).toEqual([
      'figures/bad.vl.json:3:12 error Data URL "../secret.csv" at /data/url leaves the figures folder through ".."; keep data files under figures/ and give a path such as "data/name.csv" figures:data-url',
    ])
  })

  it.each([
    ['http://example.com/a.csv', 'http:'],
    ['https://example.com/a.csv', 'https:'],
    ['data:text/csv,a%0A1', 'data:'],
  ])('refuses the URL %s', async (url, scheme) => {
    expect(await problems({ 'bad.vl.json': spec(url) })).toEqual([
      `figures/bad.vl.json:3:12 error Data URL "${url}" at /data/url uses the URL scheme "${scheme}"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url`,
    ])
  })

  it('refuses a symbolic link out of the figures folder', async () => {
    const { root: bookRoot, figuresDir } = await book({ 'bad.vl.json': spec('data/link.csv') })
    await fs.writeFile(path.join(bookRoot, 'secret.csv'), csv)
    await fs.symlink(path.join(bookRoot, 'secret.csv'), path.join(figuresDir, 'data/link.csv'))
    const { diagnostics, renderer: r } = renderer(bookRoot, figuresDir)
    expect(await r.render(request('bad'))).toBeUndefined()
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([
      'figures/bad.vl.json:3:12 error Data URL "data/link.csv" at /data/url is a link that points outside the figures folder; copy the data into figures/data/ figures:data-url',
    ])
  })

  it('refuses an absolute path, and finds URLs in layers and lookups', async () => {
    const text = JSON.stringify({
      layer: [
        { data: { url: '/etc/passwd' }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' } } },
        {
          data: { url: 'data/a.csv' },
          transform: [{ lookup: 'label', from: { data: { url: 'file:///etc/hosts' }, key: 'k' } }],
          mark: 'point',
          encoding: { x: { field: 'label', type: 'nominal' } },
        },
      ],
    })
    expect(await problems({ 'bad.vl.json': text, 'data/a.csv': csv })).toEqual([
      'figures/bad.vl.json:1:26 error Data URL "/etc/passwd" at /layer/0/data/url is an absolute path; give a path relative to figures/, such as "data/name.csv" figures:data-url',
      'figures/bad.vl.json:1:185 error Data URL "file:///etc/hosts" at /layer/1/transform/0/from/data/url uses the URL scheme "file:"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url',
    ])
  })

  it('reports a ragged CSV row with its line', async () => {
    expect(
      await problems({ 'bad.vl.json': spec('data/a.csv'), 'data/a.csv': 'label,value\nA,1\nB,2,3\nC,\n' }),
    ).toEqual([
      'figures/data/a.csv:3:1 error Line 3 of a.csv (data of bad.vl.json) has 3 cells but the header has 2; add or remove cells (an empty cell between commas means a missing value) figures:csv-row',
    ])
  })

  it('reports a non-numeric quantitative value with line and column, and allows empty cells', async () => {
    expect(await problems({ 'bad.vl.json': spec('data/a.csv'), 'data/a.csv': 'label,value\nA,\nB,12亿\n' })).toEqual([
      'figures/data/a.csv:3:3 error "12亿" in column "value" of a.csv (data of bad.vl.json) is not a number, but the spec encodes "value" as quantitative; write a plain number such as 3753 (no units or thousands separators), or leave the cell empty for a missing value figures:csv-number',
    ])
  })

  it('checks without rendering', async () => {
    const { root: bookRoot, figuresDir } = await book({
      'ok.vl.json': spec('data/a.csv'),
      'data/a.csv': csv,
      'bad.vl.json': spec('data/nope.csv'),
    })
    const diagnostics = new Diagnostics(bookRoot)
    expect(await checkFigure({ figuresDir, diagnostics }, { spec: 'ok.vl.json', file: 'chapters/01.md' })).toEqual({
      specFile: path.join(figuresDir, 'ok.vl.json'),
      dataFiles: ['data/a.csv'],
    })
    expect(
      await checkFigure({ figuresDir, diagnostics }, { spec: 'bad.vl.json', file: 'chapters/01.md' }),
    ).toBeUndefined()
    expect(diagnostics.list.map((d) => d.ruleId)).toEqual(['figures:missing-data'])
  })
})
