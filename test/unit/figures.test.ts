import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as fontkit from 'fontkit'
import * as vega from 'vega'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Diagnostics, formatDiagnostic } from '../build/diagnostics.ts'
import { checkFigure, createTextMeasurer, FigureRenderer, type FigureRequest } from '../build/figures/index.ts'
import { getValidator } from '../build/figures/schema.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fontDir = path.join(root, 'node_modules/@fontsource/noto-sans-sc/files')
const fontFiles = {
  regular: path.join(fontDir, 'noto-sans-sc-chinese-simplified-400-normal.woff2'),
  bold: path.join(fontDir, 'noto-sans-sc-chinese-simplified-700-normal.woff2'),
}
const realFigures = path.join(root, 'figures')

/** The ids the chapters use, in book order (图1–图13). */
const FIGURES = [
  'fintech-scope', 'industry-chain', 'market-size', 'investment', 'talent', 'application-domains', 'types-value',
  'tech-convergence', 'credit', 'consumer-finance', 'digital-payment', 'biometrics', 'risk-control',
]

let scratch: string
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'figures-test-'))
  // Compiling vega-lite's schema takes seconds; share the compiled validator with the build's cache.
  getValidator(path.join(root, '.cache/figures'))
})
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true })
})

let counter = 0
/** A fresh book root with a figures/ folder holding `files` (path → contents). */
async function book(files: Record<string, string> = {}): Promise<{ root: string; figuresDir: string }> {
  const bookRoot = path.join(scratch, `book-${++counter}`)
  const figuresDir = path.join(bookRoot, 'figures')
  await fs.mkdir(path.join(figuresDir, 'data'), { recursive: true })
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(figuresDir, name)), { recursive: true })
    await fs.writeFile(path.join(figuresDir, name), text)
  }
  return { root: bookRoot, figuresDir }
}

function renderer(bookRoot: string, figuresDir: string, cacheDir = path.join(bookRoot, '.cache/figures')) {
  const diagnostics = new Diagnostics(bookRoot)
  return { diagnostics, renderer: new FigureRenderer({ figuresDir, cacheDir, fontFamily: 'Noto Sans SC', fontFiles, diagnostics }) }
}

const request = (name: string): FigureRequest => ({ id: `fig-${name}`, spec: `${name}.vl.json`, title: `${name} caption`, file: 'chapters/01.md', place: { line: 3, column: 1 } })

async function copyFigure(name: string, to: string): Promise<void> {
  const spec = await fs.readFile(path.join(realFigures, `${name}.vl.json`), 'utf8')
  await fs.writeFile(path.join(to, `${name}.vl.json`), spec)
  for (const file of await fs.readdir(path.join(realFigures, 'data'))) {
    if (file.startsWith(`${name}.`)) await fs.copyFile(path.join(realFigures, 'data', file), path.join(to, 'data', file))
  }
}

/** Render one bad figure and return its formatted messages. */
async function problems(files: Record<string, string>, spec = 'bad.vl.json'): Promise<string[]> {
  const { root: bookRoot, figuresDir } = await book(files)
  const { diagnostics, renderer: r } = renderer(bookRoot, figuresDir)
  const result = await r.render({ ...request('bad'), spec })
  expect(result).toBeUndefined()
  return diagnostics.list.map(formatDiagnostic)
}

const countMissing = (svg: string): number => (svg.match(/>数据缺失</g) ?? []).length

describe('text measurement', () => {
  const measure = createTextMeasurer(fontFiles)
  const reference = (file: string, text: string, size: number): number => {
    const font = fontkit.openSync(file) as unknown as { unitsPerEm: number; layout(text: string): { advanceWidth: number } }
    return (font.layout(text).advanceWidth / font.unitsPerEm) * size
  }

  it('matches fontkit advance widths within 1% for a CJK label, regular and bold', () => {
    const text = '金融科技产业链全景图'
    const regular = measure({ fontSize: 14 }, text)
    expect(Math.abs(regular - reference(fontFiles.regular, text, 14)) / regular).toBeLessThan(0.01)
    const bold = measure({ fontSize: 14, fontWeight: 'bold' }, text)
    expect(Math.abs(bold - reference(fontFiles.bold, text, 14)) / bold).toBeLessThan(0.01)
    expect(measure({ fontSize: 14, fontWeight: 700 }, text)).toBe(bold)
    // CJK is about 1 em per character, far from vega's 0.8 em estimate
    expect(regular).toBeGreaterThan(0.95 * 14 * text.length)
  })

  it('measures the widest line of multi-line text', () => {
    expect(measure({ fontSize: 12 }, ['短', '长一些的行'])).toBe(measure({ fontSize: 12 }, '长一些的行'))
  })

  it('is the hook vega measures with after a render', async () => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure('talent', figuresDir)
    const { renderer: r } = renderer(bookRoot, figuresDir)
    await r.render(request('talent'))
    const metrics = (vega as unknown as { textMetrics: { width: (item: object, text: string) => number } }).textMetrics
    expect(metrics.width({ fontSize: 14 }, '金融科技')).toBeCloseTo(reference(fontFiles.regular, '金融科技', 14), 5)
  })
})

describe('rendering', () => {
  it('gives deterministic bytes, whatever was rendered before', async () => {
    const { root: bookRoot, figuresDir } = await book()
    for (const name of ['market-size', 'credit']) await copyFigure(name, figuresDir)
    const first = renderer(bookRoot, figuresDir, path.join(bookRoot, 'cache-a')).renderer
    const a = await first.render(request('market-size'))
    await first.render(request('credit'))
    const second = renderer(bookRoot, figuresDir, path.join(bookRoot, 'cache-b')).renderer
    await second.render(request('credit'))
    const b = await second.render(request('market-size'))
    expect(a?.cached).toBe(false)
    expect(b?.cached).toBe(false)
    expect(b?.svg).toBe(a?.svg)
  })

  it('hits the cache on the second render and misses after a data edit', async () => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure('market-size', figuresDir)
    const { renderer: r, diagnostics } = renderer(bookRoot, figuresDir)
    const cold = await r.render(request('market-size'))
    const warm = await r.render(request('market-size'))
    expect(cold?.cached).toBe(false)
    expect(warm?.cached).toBe(true)
    expect(warm?.hash).toBe(cold?.hash)
    expect(warm?.svg).toBe(cold?.svg)
    expect(await fs.readdir(path.join(bookRoot, '.cache/figures'))).toEqual([`${cold?.hash}.svg`])
    expect(cold?.dataFiles).toEqual(['data/market-size.csv'])

    const csv = path.join(figuresDir, 'data/market-size.csv')
    await fs.writeFile(csv, (await fs.readFile(csv, 'utf8')).replace('2017,,', '2017,,\n'))
    const edited = await r.render(request('market-size'))
    expect(edited?.cached).toBe(false)
    expect(edited?.hash).not.toBe(cold?.hash)
    expect(diagnostics.list).toEqual([])
  })

  it.each([
    { name: 'market-size', from: '\n2018,,\n', to: '\n2018,3100,\n', label: '>3100<', missing: 4, summary: '2018：3100亿元' },
    { name: 'investment', from: '\n2016,,\n', to: '\n2016,850,\n', label: '>850<', missing: 4, summary: '2016：850件' },
    { name: 'talent', from: '\n广东,\n', to: '\n广东,9.6\n', label: '>9.6%<', missing: 2, summary: '广东：9.6%' },
  ])('$name: a filled-in cell becomes a labelled bar with no change to the spec', async ({ name, from, to, label, missing, summary }) => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure(name, figuresDir)
    const { renderer: r, diagnostics } = renderer(bookRoot, figuresDir)
    const before = await r.render(request(name))
    expect(countMissing(before!.svg)).toBe(missing)
    expect(before!.svg).not.toContain(label)

    const csv = path.join(figuresDir, `data/${name}.csv`)
    const text = await fs.readFile(csv, 'utf8')
    expect(text).toContain(from)
    await fs.writeFile(csv, text.replace(from, to))
    const after = await r.render(request(name))
    expect(after!.cached).toBe(false)
    expect(after!.svg).toContain(label)
    expect(countMissing(after!.svg)).toBe(missing - 1)
    expect(after!.svg).toContain(summary)
    expect(diagnostics.list).toEqual([])
  })

  it('investment: a filled-in growth rate draws the line, labels it and drops the missing note', async () => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure('investment', figuresDir)
    const { renderer: r, diagnostics } = renderer(bookRoot, figuresDir)
    const before = await r.render(request('investment'))
    expect(before!.svg).toContain('增长率（%）：数据缺失')
    const csv = path.join(figuresDir, 'data/investment.csv')
    await fs.writeFile(csv, (await fs.readFile(csv, 'utf8')).replace('\n2019,977,\n', '\n2019,977,-5.2\n'))
    const after = await r.render(request('investment'))
    expect(after!.svg).toContain('>-5.2%<')
    expect(after!.svg).not.toContain('增长率（%）：数据缺失')
    expect(diagnostics.list).toEqual([])
  })

  it('renders all 13 figures accessibly, with unique ids across them and no diagnostics', async () => {
    const { root: bookRoot } = await book()
    const { renderer: r, diagnostics } = renderer(bookRoot, realFigures)
    const rendered = await r.renderAll(FIGURES.map(request))
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([])
    expect([...rendered.keys()]).toEqual(FIGURES.map((name) => `fig-${name}`))
    const ids = new Map<string, string>()
    for (const [id, figure] of rendered) {
      const svg = figure.svg
      expect(svg).toMatch(/^<svg [^>]*role="img"/)
      expect(svg).toMatch(new RegExp(`^<svg [^>]*aria-labelledby="${id}-title ${id}-desc"`))
      expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/)
      expect(svg).toContain(`<title id="${id}-title">`)
      expect(svg).toMatch(new RegExp(`<desc id="${id}-desc">[^<]{10,}</desc>`))
      expect(svg).not.toMatch(/<image|<foreignObject|<script/)
      for (const family of svg.matchAll(/font-family="([^"]*)"/g)) expect(family[1]).toBe('Noto Sans SC')
      const viewBox = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg)!
      expect(Number(viewBox[1])).toBeLessThanOrEqual(660)
      expect(Number(viewBox[2])).toBeLessThanOrEqual(420)
      for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
        expect(match[1]!.startsWith(`${id}-`), `${match[1]} in ${id}`).toBe(true)
        expect(ids.has(match[1]!), `duplicate id ${match[1]}`).toBe(false)
        ids.set(match[1]!, id)
      }
      for (const match of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids.get(match[1]!)).toBe(id)
    }
  }, 120_000)
})

interface SceneItem {
  x?: number
  y?: number
  text?: unknown
  bounds: { x1: number; y1: number; x2: number; y2: number }
  items?: SceneMark[]
}
interface SceneMark {
  marktype: string
  role?: string
  items: SceneItem[]
}

/** Text and rect items of a view in absolute coordinates. */
function collect(view: vega.View) {
  const texts: { text: string; x1: number; y1: number; x2: number; y2: number; cx: number; cy: number }[] = []
  const rects: { x1: number; y1: number; x2: number; y2: number }[] = []
  const visit = (mark: SceneMark, dx: number, dy: number): void => {
    for (const item of mark.items) {
      const b = item.bounds
      if (mark.marktype === 'group') {
        for (const child of item.items ?? []) visit(child, dx + (item.x ?? 0), dy + (item.y ?? 0))
      } else if (mark.marktype === 'text' && item.text !== undefined && String(item.text) !== '') {
        texts.push({ text: String(item.text), x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy, cx: (b.x1 + b.x2) / 2 + dx, cy: (b.y1 + b.y2) / 2 + dy })
      } else if (mark.marktype === 'rect' && mark.role === 'mark') {
        rects.push({ x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy })
      }
    }
  }
  visit((view.scenegraph() as unknown as { root: SceneMark }).root, 0, 0)
  return { texts, rects }
}

describe('layout', () => {
  it.each(FIGURES)('%s: no text is clipped by its box or overlaps other text', async (name) => {
    const { root: bookRoot } = await book()
    const { renderer: r, diagnostics } = renderer(bookRoot, realFigures)
    const view = await r.view(request(name))
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([])
    try {
      const { texts, rects } = collect(view!)
      expect(texts.length).toBeGreaterThan(3)
      const width = view!.width()
      const height = view!.height()
      const diagram = /"url": "data\/[^"]+\.json"/.test(await fs.readFile(path.join(realFigures, `${name}.vl.json`), 'utf8'))
      for (const text of texts) {
        if (!diagram) continue
        expect(text.x1, `${text.text} starts inside the figure`).toBeGreaterThanOrEqual(0)
        expect(text.x2, `${text.text} ends inside the figure`).toBeLessThanOrEqual(width)
        expect(text.y2, `${text.text} fits the figure's height`).toBeLessThanOrEqual(height)
        const boxes = rects
          .filter((box) => box.x1 <= text.cx && text.cx <= box.x2 && box.y1 <= text.cy && text.cy <= box.y2)
          .sort((a, b) => (a.x2 - a.x1) * (a.y2 - a.y1) - (b.x2 - b.x1) * (b.y2 - b.y1))
        const box = boxes[0]
        if (!box) continue // free-standing note
        expect(text.x1, `"${text.text}" left padding`).toBeGreaterThanOrEqual(box.x1 + 4)
        expect(text.x2, `"${text.text}" right padding`).toBeLessThanOrEqual(box.x2 - 4)
        expect(text.y1, `"${text.text}" top`).toBeGreaterThanOrEqual(box.y1)
        expect(text.y2, `"${text.text}" bottom`).toBeLessThanOrEqual(box.y2)
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i]!
          const b = texts[j]!
          const overlap = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 0.5 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 0.5
          expect(overlap, `"${a.text}" overlaps "${b.text}"`).toBe(false)
        }
      }
    } finally {
      view?.finalize()
    }
  }, 60_000)
})

describe('errors', () => {
  const csv = 'label,value\nA,1\nB,2\n'
  const spec = (url: string) => JSON.stringify({ data: { url }, mark: 'bar', encoding: { x: { field: 'label', type: 'nominal' }, y: { field: 'value', type: 'quantitative' } } }, null, 2)

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
        { data: { url: 'data/a.csv' }, transform: [{ lookup: 'label', from: { data: { url: 'file:///etc/hosts' }, key: 'k' } }], mark: 'point', encoding: { x: { field: 'label', type: 'nominal' } } },
      ],
    })
    expect(await problems({ 'bad.vl.json': text, 'data/a.csv': csv })).toEqual([
      'figures/bad.vl.json:1:26 error Data URL "/etc/passwd" at /layer/0/data/url is an absolute path; give a path relative to figures/, such as "data/name.csv" figures:data-url',
      'figures/bad.vl.json:1:185 error Data URL "file:///etc/hosts" at /layer/1/transform/0/from/data/url uses the URL scheme "file:"; figures may only read files under figures/, so give a relative path such as "data/name.csv" figures:data-url',
    ])
  })

  it('reports a ragged CSV row with its line', async () => {
    expect(await problems({ 'bad.vl.json': spec('data/a.csv'), 'data/a.csv': 'label,value\nA,1\nB,2,3\nC,\n' })).toEqual([
      'figures/data/a.csv:3:1 error Line 3 of a.csv (data of bad.vl.json) has 3 cells but the header has 2; add or remove cells (an empty cell between commas means a missing value) figures:csv-row',
    ])
  })

  it('reports a non-numeric quantitative value with line and column, and allows empty cells', async () => {
    expect(await problems({ 'bad.vl.json': spec('data/a.csv'), 'data/a.csv': 'label,value\nA,\nB,12亿\n' })).toEqual([
      'figures/data/a.csv:3:3 error "12亿" in column "value" of a.csv (data of bad.vl.json) is not a number, but the spec encodes "value" as quantitative; write a plain number such as 3753 (no units or thousands separators), or leave the cell empty for a missing value figures:csv-number',
    ])
  })

  it('checks without rendering', async () => {
    const { root: bookRoot, figuresDir } = await book({ 'ok.vl.json': spec('data/a.csv'), 'data/a.csv': csv, 'bad.vl.json': spec('data/nope.csv') })
    const diagnostics = new Diagnostics(bookRoot)
    expect(await checkFigure({ figuresDir, diagnostics }, { spec: 'ok.vl.json', file: 'chapters/01.md' })).toEqual({
      specFile: path.join(figuresDir, 'ok.vl.json'),
      dataFiles: ['data/a.csv'],
    })
    expect(await checkFigure({ figuresDir, diagnostics }, { spec: 'bad.vl.json', file: 'chapters/01.md' })).toBeUndefined()
    expect(diagnostics.list.map((d) => d.ruleId)).toEqual(['figures:missing-data'])
  })
})
