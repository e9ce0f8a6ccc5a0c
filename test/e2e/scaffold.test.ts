/** `npm run new`: the new book builds at once, in either language, with the default theme, fonts and labels. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readPdf } from '../../build/index.ts'
import { scaffoldBook } from '../../tools/scaffold.ts'
import { build } from '../helpers/book.ts'

const HAN = /\p{Script=Han}/u

describe('npm run new', () => {
  it('writes an English book that builds a PDF and a site with English labels only', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'new-book-'))
    expect(await scaffoldBook(root, 'en')).toEqual([
      'chapters/book.yaml',
      'chapters/01-introduction.md',
      'chapters/02-results.md',
      'figures/growth.vl.json',
      'figures/data/growth.csv',
    ])
    const summary = await build(root)
    // The index, two chapters, and the theme's search and 404 pages.
    expect(summary).toMatchObject({ chapters: 2, parts: 0, tables: 1, sitePages: 5 })
    for (const page of ['search.html', '404.html']) {
      const html = await fs.readFile(path.join(root, 'dist/site', page), 'utf8')
      expect(html, page).toContain('<html lang="en">')
      expect(html, page).not.toMatch(HAN)
    }
    const pdf = await readPdf(await fs.readFile(path.join(root, 'dist/whitepaper.pdf')))
    const text = pdf.pages.map((p) => p.text).join('\n')
    expect(text).not.toMatch(HAN)
    expect(text).toMatch(/Figure 1\.1/)
    expect(text).toMatch(/Table 2\.1/)
    await expect(scaffoldBook(root, 'en')).rejects.toThrow(/is not empty/)
  })

  it('writes a Chinese book with two parts that builds', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'new-book-'))
    await scaffoldBook(path.join(root, 'book'), 'zh-CN')
    const summary = await build(path.join(root, 'book'))
    expect(summary).toMatchObject({ chapters: 2, parts: 2, tables: 1 })
    const pdf = await readPdf(await fs.readFile(path.join(root, 'book/dist/whitepaper.pdf')))
    const text = pdf.pages.map((p) => p.text.replace(/\s+/g, '')).join('')
    expect(text).toContain('第一部分')
    expect(text).toContain('见图1。')
    expect(text).toContain('表1汇总了')
  })
})
