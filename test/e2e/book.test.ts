/**
 * End to end on the real book: build the whitepaper, read the PDF and the
 * site back, and compare them with the source text and the original's
 * 目录, 图目录 and 表目录.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { Builder, type BuildSummary, readPdf, type PdfReadback } from '../../build/index.ts'
import { REPO } from '../helpers/book.ts'
import { conformanceProblems } from '../helpers/conformance.ts'
import { pdfObjectsText } from '../helpers/pdf-objects.ts'

/** A copy of ../shared/source/2020-fintech-whitepaper.txt, so that a clone alone can run this test. */
const SOURCE = path.join(REPO, 'test/fixtures/source/2020-fintech-whitepaper.txt')
const squash = (text: string) => text.replace(/\s+/g, '')
/** The index pages' text, squashed, without the dot leaders between entries and numbers. */
const indexText = (pages: PdfReadback['pages']) => squash(pages.map((p) => p.body).join('')).replace(/\.{3,}/g, '')

/** Sections whose 目录 wording differs from their heading in the source's body (`{short="…"}` in the chapters). */
const BODY_HEADINGS: Record<string, string> = { 面临挑战: '发展金融科技面临的挑战', 发展建议: '发展金融科技的建议' }

/** The source with the recorded corrections applied (chapters/corrections.yaml). */
async function correctedSource(): Promise<string> {
  let text = await fs.readFile(SOURCE, 'utf8')
  const corrections = parseYaml(await fs.readFile(path.join(REPO, 'chapters/corrections.yaml'), 'utf8')) as {
    from: string
    to: string
  }[]
  for (const { from, to } of corrections) {
    expect(text, `correction “${from}” must occur in the source`).toContain(from)
    text = text.split(from).join(to)
  }
  return text
}

/**
 * Every unit of the source that a reader must find: paragraphs, headings,
 * captions, source notes, list items and table cells (one by one, since
 * table layout reorders them). Left out: the cover lines, the source's own
 * 目录/图目录/表目录 (checked separately), and the download platform's
 * advertisement after the contact block.
 */
function sourceUnits(text: string): string[] {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.trim() === '摘要')
  const end = lines.findIndex((line) => line.trim().startsWith('邮 编'))
  const units: string[] = []
  let grid = false
  for (const raw of lines.slice(start, end + 1)) {
    const line = raw.trim()
    if (!line || /^第.部分$/.test(line)) continue
    if (/^- ✓ /.test(line)) {
      units.push(line.slice(4))
      continue
    }
    if (/^(电|传|邮|地) /.test(line)) {
      // Contact lines: “电 话：…” → the label and the value.
      const [label, value] = line.split('：')
      units.push(squash(label!), value!)
      continue
    }
    if (line.startsWith('数据来源')) grid = false
    if (grid) {
      // 图6 draws the source's technology-by-domain grid; it shows each label of a cell on its own.
      units.push(...line.split(/[\t、 ]/).filter(Boolean))
      continue
    }
    if (line.startsWith('图6 ')) grid = true
    if (line.includes('\t')) {
      for (const cell of line.split('\t'))
        units.push(
          ...cell
            .split('•')
            .map((piece) => piece.trim())
            .filter(Boolean),
        )
      continue
    }
    if (line.includes('•')) {
      units.push(
        ...line
          .split('•')
          .map((piece) => piece.trim())
          .filter(Boolean),
      )
      continue
    }
    units.push(line.replace(/^- /, '').replace(/^(图|表)(\d+) /, '$1$2'))
  }
  return units.map(squash).filter((unit) => unit.length > 0)
}

/** The source's own 目录, 图目录 and 表目录, entry by entry (titles only: our page numbers are our own). */
function sourceLists(text: string) {
  const lines = text.split('\n').map((l) => l.trim())
  const between = (from: string, to: string) => lines.slice(lines.indexOf(from) + 1, lines.indexOf(to)).filter(Boolean)
  const entry = (line: string) => line.replace(/\t\d+$/, '')
  return {
    toc: between('目 录', '图目录')
      .map(entry)
      .map((e) => e.replace(/^\((.)\) /, '（$1）').replace(/^(.) /, '$1')),
    figures: between('图目录', '表目录')
      .map(entry)
      .map((e) => e.replace(/^图 (\d+) /, '图$1')),
    tables: between('表目录', '摘要')
      .map(entry)
      .map((e) => e.replace(/^表 (\d+) /, '表$1')),
  }
}

function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
}

describe('the whitepaper', () => {
  let out: string
  let summary: BuildSummary
  let pdf: PdfReadback
  let pdfBytes: Buffer
  let source: string

  beforeAll(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-'))
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-cache-'))
    // Strict: any layout finding (sparse page, widow, split unit, unsearchable text…) fails the build.
    summary = await new Builder({ root: REPO, outDir: out, cacheDir, strict: true }).build()
    pdfBytes = await fs.readFile(path.join(out, 'whitepaper.pdf'))
    pdf = await readPdf(pdfBytes)
    source = await correctedSource()
  })

  it('has 4 parts, 13 sections, 13 figures and 4 tables', () => {
    expect(summary).toMatchObject({ parts: 4, sections: 13, tables: 4 })
    expect(summary.figures.total).toBe(13)
  })

  it('puts every paragraph, heading, caption, list item and table cell of the source into the PDF', () => {
    const text = squash(pdf.pages.map((p) => p.body).join(''))
    const missing = sourceUnits(source).filter((unit) => !text.includes(unit))
    expect(missing).toEqual([])
  })

  it('puts every paragraph, heading, caption, list item and table cell of the source into the site', async () => {
    const site = path.join(out, 'site')
    const pages = (await fs.readdir(site)).filter((name) => name.endsWith('.html'))
    const text = squash(
      visibleText((await Promise.all(pages.map((name) => fs.readFile(path.join(site, name), 'utf8')))).join('')),
    )
    // The back cover's slogan and contact block close every site page.
    const units = sourceUnits(source)
    for (const wanted of ['才使我们与众不同', '100048', '发展金融科技面临的挑战', '发展金融科技的建议'])
      expect(
        units.some((unit) => unit.includes(wanted)),
        wanted,
      ).toBe(true)
    const missing = units.filter((unit) => !text.includes(unit))
    expect(missing).toEqual([])
  })

  it('reproduces the original 目录, 图目录 and 表目录 entry for entry', () => {
    const lists = sourceLists(source)
    const frontPages = indexText(pdf.pages.slice(0, pdf.destinations.get('part-1')))
    for (const group of [lists.toc, lists.figures, lists.tables]) {
      let cursor = 0
      for (const entry of group) {
        const match = new RegExp(`${squash(entry).replace(/[()（）]/g, '\\$&')}(\\d+)`).exec(frontPages.slice(cursor))
        expect(match, `list entry ${entry}`).not.toBeNull()
        cursor += match!.index + match![0].length
      }
    }
    expect(lists.toc).toHaveLength(17)
    expect(lists.figures).toHaveLength(13)
    expect(lists.tables).toHaveLength(4)
  })

  it('lines up the titles of 图目录 and 表目录 in one column, after 图9 as after 图10', () => {
    const starts = new Map<string, Set<number>>()
    for (const page of pdf.pages.slice(0, pdf.destinations.get('part-1'))) {
      for (const label of page.items.filter((item) => /^[图表]\d+$/.test(item.text))) {
        const title = page.items.find((item) => item.y === label.y && item.x > label.x + label.width)!
        const list = starts.get(label.text[0]!) ?? new Set()
        starts.set(label.text[0]!, list.add(Math.round(title.x * 10) / 10))
      }
    }
    expect(Object.fromEntries([...starts].map(([list, xs]) => [list, xs.size]))).toEqual({ 图: 1, 表: 1 })
  })

  it('gives every index entry the page number printed on the page where its heading or caption is', () => {
    const lists = sourceLists(source)
    const first = pdf.destinations.get('part-1')!
    const frontPages = indexText(pdf.pages.slice(0, first))
    const byFooter = new Map(pdf.pages.slice(first).map((page) => [page.footer, page]))
    const checked: string[] = []
    for (const entry of [...lists.toc, ...lists.figures, ...lists.tables]) {
      const number = new RegExp(`${squash(entry).replace(/[()（）]/g, '\\$&')}(\\d+)`).exec(frontPages)![1]!
      const page = byFooter.get(number)
      expect(page, `${entry}: no page shows the number ${number}`).toBeDefined()
      // The heading or caption: a part's title, a section's title, or the float's label.
      const title = entry.replace(/^（.）/, '')
      const wanted = squash((BODY_HEADINGS[title] ?? title).replace(/^[一二三四](?=\S)/, '')).replace(
        /^(图|表)(\d+).*$/,
        '$1$2',
      )
      expect(squash(page!.body), `${entry} should be on page ${number}`).toContain(wanted)
      checked.push(entry)
    }
    expect(checked).toHaveLength(34)
  })

  it('numbers body pages from 1 at part one, with unnumbered covers and front matter', () => {
    const first = pdf.destinations.get('part-1')!
    for (const page of pdf.pages.slice(0, first)) expect(page.footer).toBe('')
    expect(pdf.pages.at(-1)!.footer).toBe('')
    pdf.pages.slice(first, -1).forEach((page, i) => expect(page.footer).toBe(String(i + 1)))
    // The viewer's page box agrees with the printed numbers.
    expect(pdf.labels!.slice(first, -1)).toEqual(pdf.pages.slice(first, -1).map((page) => page.footer))
    expect(pdf.labels!.slice(0, 3)).toEqual(['i', 'ii', 'iii'])
    expect(pdf.labels!.at(-1)).toBe('')
  })

  it('has running headers with the book subtitle and the current part', () => {
    const first = pdf.destinations.get('part-2')!
    const page = pdf.pages[first + 1]!
    expect(squash(page.header)).toContain('2020金融科技发展白皮书')
    expect(squash(page.header)).toContain('二技术为上')
  })

  it('has an outline of the 4 parts and their 13 sections', () => {
    const parts = pdf.outline.filter((item) =>
      ['浪潮来袭', '技术为上', '场景为王', '赛迪建议'].some((t) => item.title.includes(t)),
    )
    expect(parts).toHaveLength(4)
    expect(parts.map((p) => p.items.map((s) => s.title))).toEqual([
      ['概念界定', '发展环境', '发展阶段', '发展概况'],
      ['技术赋能', '融合生态'],
      ['融资信贷', '消费金融', '数字支付', '风险控制', '金融监管'],
      ['发展金融科技面临的挑战', '发展金融科技的建议'],
    ])
  })

  it('is a tagged A4 PDF with metadata and only embedded CID TrueType fonts', async () => {
    const latin = await pdfObjectsText(pdfBytes)
    expect(latin).toContain('/StructTreeRoot')
    expect(latin).toMatch(/\/Lang \(zh-CN\)/)
    expect(pdf.info).toMatchObject({
      Title: '场景为王，全面赋能 — 2020金融科技发展白皮书',
      Author: '赛迪顾问',
      Subject: '2020金融科技发展白皮书',
    })
    expect(String(pdf.info.Keywords)).toContain('金融科技')
    expect(pdf.info.CreationDate).toMatch(/^D:20200501/)
    expect(latin).not.toMatch(/\/Subtype\s*\/Type3/)
    const fonts = [...latin.matchAll(/\/BaseFont \/([^\s/>]+)/g)].map((match) => match[1])
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) expect(font).toMatch(/^[A-Z]{6}\+NotoSansSC/)
    for (const page of pdf.pages) expect([Math.round(page.width), Math.round(page.height)]).toEqual([595, 842])
  })

  it('passes the PDF/UA-1 and PDF/A-2 readback checks: tags or artifacts everywhere, Alt, LBody, XMP, output intent', async () => {
    // Covers, index pages, a part title, body pages with figures and tables, and the back cover.
    const sample = [1, 2, 3, 5, 6, 9, 10, 11, pdf.pages.length]
    expect(await conformanceProblems(pdfBytes, sample)).toEqual([])
    // Issue 20: at most 400 KB, decimal.
    expect(pdfBytes.length).toBeLessThanOrEqual(400_000)
  })

  it('passes the layout check with no finding, in strict mode', () => {
    expect(summary.pdf!.layout.findings).toEqual([])
  })

  it('prints a cold build within the budget: two page-number passes and one for copyfit', () => {
    expect(summary.pdf!.layout.copyfit?.length).toBeGreaterThan(0)
    expect(summary.pdf!.passes).toBeLessThanOrEqual(3)
  })

  it('gives back the text as written: pdfjs finds 2019年, 3753亿元 and 目录, and no hidden continuation caption', () => {
    const text = pdf.pages.map((p) => p.text.replace(/\n/g, '')).join('\n')
    for (const wanted of ['2019年', '3753亿元', '目录', '图目录', '表目录', '2020金融科技发展白皮书'])
      expect(text, wanted).toContain(wanted)
    expect(text).not.toMatch(/表\d+（续）/)
  })

  const pdftotext = (() => {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  })()
  // Poppler is optional on a developer's machine; CI installs it and sets REQUIRE_PDFTOTEXT so this never skips there.
  it.skipIf(!pdftotext && !process.env.REQUIRE_PDFTOTEXT)(
    'gives back the text as written to pdftotext, in raw and layout modes',
    () => {
      const file = path.join(out, 'whitepaper.pdf')
      for (const mode of ['-raw', '-layout']) {
        const text = execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
        for (const wanted of ['2019年', '3753亿元', '目录']) expect(text, `${mode}: ${wanted}`).toContain(wanted)
      }
    },
  )

  it('links every index entry and cross-reference inside the PDF', () => {
    const dests = new Set(pdf.links.map((l) => l.dest))
    for (const id of ['part-1', 'part-4-s2', 'fig-market-size', 'fig-risk-control', 'tbl-bank-strategies'])
      expect(dests).toContain(id)
    for (const link of pdf.links) expect(pdf.destinations.has(link.dest), link.dest).toBe(true)
  })
})
