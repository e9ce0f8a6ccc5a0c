/**
 * Issue #8: builds are safe (raw HTML cannot inject script), hermetic (the
 * print step loads only the build's own files) and byte-for-byte reproducible.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { readPdf } from '../../build/index.ts'
import { build, buildErrors, copyBook, MINI_BOOK } from '../helpers/book.ts'
import { pdfObjectsText } from '../helpers/pdf-objects.ts'
import { append, replace } from '../bad-input/cases.ts'
import { hashTree } from '../bad-input/support.ts'

/** Four ways raw HTML could run script or embed another document. */
const INJECTIONS = [
  '<script>alert("injected-script")</script>',
  '<p><img src="missing.png" onerror="alert(\'injected-onerror\')"> 图片说明</p>',
  '<p><a href="javascript:alert(\'injected-url\')">点我</a></p>',
  '<iframe src="inner.html" title="injected-frame"></iframe>',
].join('\n\n')

const injected = (root: string) => append('chapters/01-first.md', `\n${INJECTIONS}\n`)(root)

async function outputs(root: string): Promise<Map<string, string>> {
  const site = path.join(root, 'dist/site')
  const files = (await fs.readdir(site)).filter((name) => name.endsWith('.html')).map((name) => path.join(site, name))
  files.push(path.join(root, 'dist/whitepaper.html'))
  return new Map(
    await Promise.all(files.map(async (file) => [path.relative(root, file), await fs.readFile(file, 'utf8')] as const)),
  )
}

describe('safe, reproducible output', () => {
  let first: string
  let second: string

  beforeAll(async () => {
    // The same sources in two different folders, each with its own cache, each printed by Chromium.
    first = await copyBook(undefined, injected)
    second = await copyBook(undefined, injected)
    await build(first)
    await build(second)
  })

  it('keeps <script>, event handlers, javascript: URLs and <iframe> out of the site and the print document', async () => {
    const files = await outputs(first)
    expect([...files.keys()]).toEqual(expect.arrayContaining(['dist/site/part-1.html', 'dist/whitepaper.html']))
    // The scripts a page may carry are the theme's or the book's own (site.js in its templates, and the font loader,
    // fonts.js), never the author's.
    const ownScripts = ['<script src="assets/site.js" defer></script>', '<script src="assets/fonts.js" defer></script>']
    for (const [file, output] of files) {
      const html = ownScripts.reduce((text, script) => text.split(script).join(''), output)
      expect(html, file).not.toMatch(/<script|<iframe|\sonerror\s*=|\son[a-z]+\s*=|javascript:/i)
      expect(html, file).not.toMatch(/injected-(script|onerror|url|frame)/)
    }
    // What is harmless survives: the picture (without its handler) and the link text.
    const part1 = files.get('dist/site/part-1.html')!
    expect(part1).toContain('<img src="missing.png">')
    expect(part1).toContain('点我')
  })

  it('builds byte-identical site files and PDF from the same sources in another folder', async () => {
    const a = await hashTree(path.join(first, 'dist'))
    const b = await hashTree(path.join(second, 'dist'))
    expect(Object.keys(a)).toEqual(
      expect.arrayContaining(['whitepaper.pdf', 'whitepaper.html', 'site/index.html', 'site/whitepaper.pdf']),
    )
    expect(b).toEqual(a)
  })

  it('dates the PDF from the book config, or from SOURCE_DATE_EPOCH', async () => {
    const pdf = await readPdf(await fs.readFile(path.join(first, 'dist/whitepaper.pdf')))
    expect(pdf.info.CreationDate).toBe('D:20210301000000Z')
    expect(pdf.info.ModDate).toBe('D:20210301000000Z')
    await build(second, { env: { SOURCE_DATE_EPOCH: '1600000000' } })
    const dated = await readPdf(await fs.readFile(path.join(second, 'dist/whitepaper.pdf')))
    expect(dated.info.CreationDate).toBe('D:20200913122640Z')
    expect(dated.info.ModDate).toBe('D:20200913122640Z')
    // Only the dates differ from the first build (and the file ID, a hash of the content, dates included). Objects are
    // compared decoded: object streams compress the information dictionary with its neighbours.
    const decoded = async (root: string) =>
      pdfObjectsText(await fs.readFile(path.join(root, 'dist/whitepaper.pdf')), { streams: true })
    const redated = (await decoded(second))
      .replaceAll('D:20200913122640Z', 'D:20210301000000Z')
      .replaceAll('2020-09-13T12:26:40Z', '2021-03-01T00:00:00Z')
    expect(redated).toBe(await decoded(first))
  })
})

describe('hermetic printing', () => {
  it('blocks and reports a template that loads from the network, and fails the build', async () => {
    const root = await copyBook(undefined, async (root) => {
      const templates = path.join(root, 'templates')
      await fs.cp(path.resolve(MINI_BOOK, '../../../templates'), templates, { recursive: true })
      // The print document is the default theme's: the book's own copy of it, to plant the request in.
      await fs.cp(
        path.resolve(MINI_BOOK, '../../../build/theme/templates/print.html'),
        path.join(templates, 'print.html'),
      )
      await replace(
        'chapters/book.yaml',
        /^templates: .*$/m.exec(await fs.readFile(path.join(root, 'chapters/book.yaml'), 'utf8'))![0],
        'templates: templates',
      )(root)
      await replace(
        'templates/print.html',
        '</body>',
        '<img src="http://example.invalid/tracker.png" alt=""></body>',
      )(root)
    })
    expect(await buildErrors(root)).toEqual([
      "whitepaper.html error The print document tried to load http://example.invalid/tracker.png, which is not one of the build's own files, so the request was blocked (the PDF may load nothing from the network or elsewhere on disk). Remove it from the templates or styles; the book's output must be self-contained print:network",
    ])
    await expect(fs.access(path.join(root, 'dist'))).rejects.toThrow()
  })
})
