/** Figures: text measured with the book font, deterministic and cached SVGs, every real figure accessible. */
import fs from 'node:fs/promises'
import path from 'node:path'
import * as fontkit from 'fontkit'
import * as vega from 'vega'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTextMeasurer, formatDiagnostic, resolveLabels, summaryWords } from '../../build/index.ts'
import {
  book,
  copyFigure,
  countBars,
  fontFiles,
  realBookFigures,
  realFigures,
  renderer,
  request,
} from '../helpers/figures.ts'
import { loadValidator } from '../helpers/book.ts'

const FIGURES = await realBookFigures()
beforeAll(loadValidator)

describe('text measurement', () => {
  const measure = createTextMeasurer(fontFiles)
  const reference = (file: string, text: string, size: number): number => {
    const font = fontkit.openSync(file) as unknown as {
      unitsPerEm: number
      layout(text: string): { advanceWidth: number }
    }
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
    {
      name: 'market-size',
      from: '\n2018,,\n',
      to: '\n2018,3100,\n',
      label: '>3100<',
      bars: 2,
      summary: '2018：3100亿元',
    },
    { name: 'investment', from: '\n2016,,\n', to: '\n2016,850,\n', label: '>850<', bars: 1, summary: '2016：850件' },
    { name: 'talent', from: '\n广东,\n', to: '\n广东,9.6\n', label: '>9.6%<', bars: 2, summary: '广东：9.6%' },
  ])(
    '$name: a filled-in cell becomes a labelled bar with no change to the spec',
    async ({ name, from, to, label, bars, summary }) => {
      const { root: bookRoot, figuresDir } = await book()
      await copyFigure(name, figuresDir)
      const { renderer: r, diagnostics } = renderer(bookRoot, figuresDir)
      const before = await r.render(request(name))
      expect(countBars(before!.svg)).toBe(bars)
      expect(before!.svg).not.toContain('数据缺失')
      expect(before!.svg).not.toContain(label)

      const csv = path.join(figuresDir, `data/${name}.csv`)
      const text = await fs.readFile(csv, 'utf8')
      expect(text).toContain(from)
      await fs.writeFile(csv, text.replace(from, to))
      const after = await r.render(request(name))
      expect(after!.cached).toBe(false)
      expect(after!.svg).toContain(label)
      expect(countBars(after!.svg)).toBe(bars + 1)
      expect(after!.svg).toContain(summary)
      expect(diagnostics.list).toEqual([])
    },
  )

  it("writes the data summary with the words of the book's language, and caches it per language", async () => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure('market-size', figuresDir)
    const zh = await renderer(bookRoot, figuresDir).renderer.render(request('market-size'))
    const words = summaryWords(resolveLabels('en'))
    const en = await renderer(bookRoot, figuresDir, undefined, words).renderer.render(request('market-size'))
    expect(zh!.svg).toContain('2017：正文未给出；2018：正文未给出；2019：3753亿元；')
    expect(zh!.svg).toContain('2022：5432亿元（预测）。')
    expect(en!.cached).toBe(false)
    expect(en!.svg).toContain('2017: 正文未给出; 2018: 正文未给出; 2019: 3753亿元; ')
    expect(en!.svg).toContain('2022: 5432亿元 (预测).')
  })

  it('investment: a filled-in growth rate draws the line, labels it and shows its legend', async () => {
    const { root: bookRoot, figuresDir } = await book()
    await copyFigure('investment', figuresDir)
    const { renderer: r, diagnostics } = renderer(bookRoot, figuresDir)
    const before = await r.render(request('investment'))
    expect(before!.svg).not.toContain('— 增长率')
    const csv = path.join(figuresDir, 'data/investment.csv')
    await fs.writeFile(csv, (await fs.readFile(csv, 'utf8')).replace('\n2019,977,\n', '\n2019,977,-5.2\n'))
    const after = await r.render(request('investment'))
    expect(after!.svg).toContain('>-5.2%<')
    expect(after!.svg).toContain('— 增长率（%）')
    expect(diagnostics.list).toEqual([])
  })

  it('renders every figure of the real book accessibly, with unique ids across them and no diagnostics', async () => {
    expect(FIGURES.length, 'figures in the real book').toBeGreaterThan(0)
    const { root: bookRoot } = await book()
    const { renderer: r, diagnostics } = renderer(bookRoot, realFigures)
    const rendered = await r.renderAll(FIGURES)
    expect(diagnostics.list.map(formatDiagnostic)).toEqual([])
    expect([...rendered.keys()]).toEqual(FIGURES.map((figure) => figure.id))
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
