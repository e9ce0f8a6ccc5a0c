/** The walking skeleton: a fixture book that is not the whitepaper builds to a site and a PDF, read back. */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readPdf, type PdfReadback, type BuildSummary } from '../../build/index.ts'
import { build, copyBook } from '../helpers/book.ts'
import { conformanceProblems } from '../helpers/conformance.ts'
import { pdfObjectsText } from '../helpers/pdf-objects.ts'

describe('mini book', () => {
  let root: string
  let summary: BuildSummary
  let pdf: PdfReadback
  let pdfBytes: Buffer

  beforeAll(async () => {
    root = await copyBook()
    summary = await build(root)
    pdfBytes = await fs.readFile(path.join(root, 'dist/whitepaper.pdf'))
    pdf = await readPdf(pdfBytes)
  })

  it('reports what it built', () => {
    expect(summary).toMatchObject({ chapters: 3, parts: 2, sections: 3, tables: 1, sitePages: 6 })
    expect(summary.figures.total).toBe(1)
    expect(summary.pdf?.pages).toBe(pdf.pages.length)
    expect(summary.stages.map((s) => s.name)).toEqual([
      'config',
      'parse',
      'collect',
      'figures',
      'styles',
      'site',
      'pdf',
      'site files',
      'write',
    ])
  })

  it('prints A4 pages whose Chinese text reads back', () => {
    for (const page of pdf.pages) {
      expect(page.width).toBeCloseTo(595, 0)
      expect(page.height).toBeCloseTo(842, 0)
    }
    const text = pdf.pages
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, '')
    expect(text).toContain('小书测试')
    expect(text).toContain('正文第一段，引用图1与表1。')
    expect(text).toContain('第二部分回看图1的数据。')
  })

  it('embeds only the subset book font, as CID TrueType (never Type 3)', async () => {
    const latin = await pdfObjectsText(pdfBytes)
    const fonts = [...latin.matchAll(/\/BaseFont \/([A-Z]{6}\+[^\s/>]+)/g)].map((m) => m[1])
    expect(fonts.length).toBeGreaterThan(0)
    for (const name of fonts) expect(name).toMatch(/^[A-Z]{6}\+NotoSansSC/)
    expect(latin).not.toMatch(/\/Subtype\s*\/Type3/)
    expect(latin).toMatch(/\/Subtype\s*\/CIDFontType2/)
    expect(latin).toMatch(/\/FontFile2/)
  })

  it('passes the PDF/UA-1 and PDF/A-2 readback checks on every page', async () => {
    expect(await conformanceProblems(pdfBytes)).toEqual([])
  })

  it('writes the site: index, one page per chapter, fonts, data, the PDF', async () => {
    const site = path.join(root, 'dist/site')
    const files = await fs.readdir(site)
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'intro.html',
        'part-1.html',
        'part-2.html',
        'whitepaper.pdf',
        'fonts',
        'assets',
        'data',
      ]),
    )
    const part1 = await fs.readFile(path.join(site, 'part-1.html'), 'utf8')
    expect(part1).toContain('<html lang="zh-CN">')
    expect(part1).toMatch(/<figure id="fig-sales"[^>]*>.*<svg[^>]*role="img"/s)
    expect(part1).toContain('<a href="data/sales.csv" download>')
    const part2 = await fs.readFile(path.join(site, 'part-2.html'), 'utf8')
    expect(part2).toContain('<a href="part-1.html#fig-sales" class="xref">图1</a>')
    await fs.access(path.join(site, 'data/sales.csv'))
  })

  it('keeps the print document beside the PDF, with its TrueType fonts: none of them in the site', async () => {
    const html = await fs.readFile(path.join(root, 'dist/whitepaper.html'), 'utf8')
    const printFonts = [...html.matchAll(/url\("fonts\/([^"]+)"\) format\("truetype"\)/g)].map((m) => m[1]!)
    expect(printFonts.length).toBeGreaterThanOrEqual(2)
    for (const name of printFonts) {
      expect((await fs.readFile(path.join(root, 'dist/fonts', name))).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]))
    }
    const siteFonts = await fs.readdir(path.join(root, 'dist/site/fonts'))
    expect(siteFonts.length).toBeGreaterThan(0)
    expect(siteFonts.every((name) => name.endsWith('.woff2'))).toBe(true)
  })
})
