/**
 * Books in other shapes than the real one, built through every stage with the engine's default theme: an English
 * book of plain chapters (test/fixtures/en-plain), and a Chinese book with a front chapter holding a figure, parts
 * and an appendix. Their labels are read back from the PDF and the site.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readPdf, visibleText, type PdfReadback } from '../../build/index.ts'
import { REPO, build, copyBook } from '../helpers/book.ts'
import { WIDE, open, readSite, siteChecks, useBrowser, type Site } from '../helpers/site-checks.ts'
import { pdfObjectsText } from '../helpers/pdf-objects.ts'

useBrowser()

const HAN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u
const squash = (text: string) => text.replace(/\s+/g, ' ')

describe('an English book with only chapters/, figures/ and book.yaml', () => {
  const state: { root?: string; pdf?: PdfReadback; bytes?: Buffer; site?: Site } = {}

  beforeAll(async () => {
    const root = await copyBook(path.join(REPO, 'test/fixtures/en-plain'))
    await build(root)
    state.root = root
    state.bytes = await fs.readFile(path.join(root, 'dist/whitepaper.pdf'))
    state.pdf = await readPdf(state.bytes)
    state.site = await readSite(path.join(root, 'dist/site'), true, 'en')
  })

  it('prints English labels and numbers, and no Chinese character, in the PDF', () => {
    const text = squash(state.pdf!.pages.map((p) => p.text).join('\n'))
    expect(text).not.toMatch(HAN)
    for (const label of ['Contents', 'List of Figures', 'List of Tables', 'Chapter 1', 'Chapter 2', 'Figure 1.1']) {
      expect(text).toContain(label)
    }
    expect(text).toMatch(/Table 2\.1 Traditional and twelve-factor apps compared/)
    expect(text).toContain('Source: The Twelve-Factor App')
    expect(text).toMatch(/1\.1 Background/)
  })

  it('numbers the body from the first chapter, with no part in the book', () => {
    const { pages, destinations } = state.pdf!
    expect(pages[destinations.get('chapter-1')!]!.footer).toBe('1')
    expect(pages[destinations.get('chapter-1')! - 1]!.footer).toBe('')
  })

  it('embeds the default Latin font, upright and italic, as CID TrueType, never Type 3', async () => {
    const objects = await pdfObjectsText(state.bytes!)
    const fonts = new Set([...objects.matchAll(/\/BaseFont \/[A-Z]{6}\+([^\s/>]+)/g)].map((m) => m[1]))
    expect(fonts).toEqual(new Set(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSans-Italic', 'NotoSans-BoldItalic']))
    expect(objects).not.toMatch(/\/Subtype\s*\/Type3/)
    expect(objects).toMatch(/\/Subtype\s*\/CIDFontType2/)
  })

  it('shows no Chinese character on any site page, the reader tools included', async () => {
    // The theme's reader tools: the search page, the 404 page, and the script's messages and buttons.
    expect(state.site!.pages).toEqual(expect.arrayContaining(['search.html', '404.html']))
    for (const asset of ['assets/site.js', 'assets/book.css']) {
      expect(await fs.readFile(path.join(state.site!.dir, asset), 'utf8'), asset).not.toMatch(HAN)
    }
    for (const name of state.site!.pages) {
      const html = await fs.readFile(path.join(state.site!.dir, name), 'utf8')
      expect(visibleText(html.replace(/<(script|style)[\s\S]*?<\/\1>/g, '')), name).not.toMatch(HAN)
      expect(html).toContain('<html lang="en">')
    }
  })

  it('sets Latin text with Latin rules: no letter-spacing, no first-line indent, italics, hyphenation', async () => {
    const styles = async (file: string) => {
      const page = await open(state.site!, file, WIDE)
      try {
        return await page.evaluate(() => {
          const style = (selector: string) => {
            const element = document.querySelector(selector)
            return element ? getComputedStyle(element) : undefined
          }
          return {
            spacing: [...document.querySelectorAll('h1, h1 *, h2, .part-label, .brand-title')].map(
              (element) => getComputedStyle(element).letterSpacing,
            ),
            indent: style('article > p')?.textIndent,
            hyphens: style('article > p')?.hyphens,
            emphasis: style('article em')?.fontStyle,
            emphasisMark: style('article em')?.textEmphasisStyle,
          }
        })
      } finally {
        await page.close()
      }
    }
    const chapter = await styles('chapter-1.html')
    expect(new Set(chapter.spacing)).toEqual(new Set(['normal']))
    expect(chapter).toMatchObject({ indent: '0px', hyphens: 'auto', emphasis: 'italic', emphasisMark: 'none' })
    expect(new Set((await styles('index.html')).spacing)).toEqual(new Set(['normal']))
  })

  siteChecks(() => state.site)
})

describe('a Chinese book with a front chapter holding a figure, parts without numerals and an appendix', () => {
  const state: { pdf?: PdfReadback } = {}

  beforeAll(async () => {
    const root = await copyBook(undefined, async (root) => {
      const config = path.join(root, 'chapters/book.yaml')
      const yaml = (await fs.readFile(config, 'utf8')).replace(/^(templates|styles): .*\n/gm, '')
      await fs.writeFile(config, yaml.replace('  - 02-second.md\n', '  - 02-second.md\n  - 03-appendix.md\n'))
      const intro = path.join(root, 'chapters/00-intro.md')
      const figure = '::figure[前言中的图]{#fig-intro spec="sales.vl.json" short="前言图"}'
      await fs.appendFile(intro, `\n## 前言一节\n\n${figure}\n`)
      const second = path.join(root, 'chapters/02-second.md')
      await fs.writeFile(second, (await fs.readFile(second, 'utf8')).replace('numeral: 二\n', ''))
      const appendix = '---\nkind: appendix\ntitle: 补充材料\n---\n\n见@tbl-extra。\n\n'
      const table = ':::table[附录中的表]{#tbl-extra}\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n:::\n'
      await fs.writeFile(path.join(root, 'chapters/03-appendix.md'), appendix + table)
    })
    await build(root)
    state.pdf = await readPdf(await fs.readFile(path.join(root, 'dist/whitepaper.pdf')))
  })

  it('lists the front chapter and its figure with the front pages’ numbers, and the appendix by its label', () => {
    const { pages, destinations } = state.pdf!
    const first = destinations.get('part-1')!
    const contents = pages
      .slice(0, first)
      .map((p) => p.text)
      .join('')
      .replace(/\s+/g, '')
    const introPage = ['i', 'ii', 'iii', 'iv', 'v', 'vi'][destinations.get('intro')!]
    // Entries and their numbers, with the leader dots between them.
    expect(contents).toMatch(new RegExp(`前言\\.*${introPage}一第一篇章`))
    expect(contents).toMatch(/图1前言图\.*[ivx]+图2/)
    expect(contents).toMatch(/附录A补充材料\.*\d+/)
    expect(contents).toMatch(/二第二篇章\.*\d+/)
    expect(pages[first]!.footer).toBe('1')
    expect(pages[destinations.get('appendix-1')!]!.text.replace(/\s+/g, '')).toContain('附录A补充材料')
  })
})
