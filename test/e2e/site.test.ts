/**
 * The published site, read in headless Chromium (see helpers/site-checks.ts), on the mini book (with a
 * wide table added) and on the real book.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO, build, copyBook } from '../helpers/book.ts'
import {
  NARROW,
  currentBrowser,
  htmlFiles,
  open,
  readSite,
  siteChecks,
  useBrowser,
  type Site,
} from '../helpers/site-checks.ts'
import { readerChecks } from '../helpers/reader-checks.ts'
import { openSearch } from '../helpers/search.ts'
import { serve } from '../helpers/serve.ts'

useBrowser()

/** Where the mini book says it is published: its pages then carry canonical links, and the site a sitemap. */
const BASE_URL = 'https://example.org/mini/'
/** Wide enough that tables are tables, not stacked cards, and narrow enough that a five-column one scrolls. */
const TABLET = 700

/** A table wider than a phone and a long unbroken string: the two usual causes of sideways scrolling. */
const WIDE_TABLE = `

## 宽表

很长的不间断字符串：https://example.com/a/very/long/path/that/does/not/break/anywhere/by/itself/at/all/0123456789

:::table[五列宽表测试]{#tbl-wide source="测试整理"}
| 年份 | 主体 | 政策、标准 | 关键词 | 说明 |
| --- | --- | --- | --- | --- |
| 2019年8月 | 中国人民银行 | 《金融科技（FinTech）发展规划（2019—2021年）》 | 顶层设计 | 明确提出未来三年金融科技工作的指导思想、基本原则、发展目标、重点任务和保障措施 |
| 2020年1月 | 多个部门 | 金融科技创新监管试点 | 监管沙盒 | 在北京率先启动金融科技创新监管试点 |
:::
`

describe('mini book site', () => {
  const state: { site?: Site; noPdfDir?: string } = {}

  beforeAll(async () => {
    const root = await copyBook(undefined, async (root) => {
      await fs.appendFile(path.join(root, 'chapters/02-second.md'), WIDE_TABLE)
      const config = path.join(root, 'chapters/book.yaml')
      const text = await fs.readFile(config, 'utf8')
      await fs.writeFile(config, text.replace('language: zh-CN', `language: zh-CN\nbaseUrl: ${BASE_URL}`))
    })
    await build(root)
    state.site = await readSite(path.join(root, 'dist/site'), true)
    const noPdf = path.join(root, 'dist-no-pdf')
    await build(root, { outDir: noPdf, pdf: false })
    state.noPdfDir = path.join(noPdf, 'site')
  })

  siteChecks(() => state.site)
  readerChecks(() => state.site)

  it('links the PDF from every page when it is built, and never when it is not', async () => {
    const site = state.site!
    for (const name of site.pages)
      expect(await fs.readFile(path.join(site.dir, name), 'utf8'), name).toContain('href="whitepaper.pdf"')
    await fs.access(path.join(site.dir, 'whitepaper.pdf'))
    for (const name of await htmlFiles(state.noPdfDir!)) {
      expect(await fs.readFile(path.join(state.noPdfDir!, name), 'utf8'), name).not.toContain('whitepaper.pdf')
    }
  })

  it('with a baseUrl: canonical and og:url on every page, og:image, sitemap.xml and robots.txt', async () => {
    const site = state.site!
    for (const name of site.pages.filter((p) => p !== '404.html')) {
      const html = await fs.readFile(path.join(site.dir, name), 'utf8')
      const url = name === 'index.html' ? BASE_URL : `${BASE_URL}${name}`
      expect(html, name).toContain(`<link rel="canonical" href="${url}">`)
      expect(html, name).toContain(`<meta property="og:url" content="${url}">`)
      expect(html, name).toContain(`<meta property="og:image" content="${BASE_URL}og-image.png">`)
    }
    const png = await fs.readFile(path.join(site.dir, 'og-image.png'))
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630])
    const sitemap = await fs.readFile(path.join(site.dir, 'sitemap.xml'), 'utf8')
    const listed = site.pages.filter((p) => p !== '404.html' && p !== 'search.html')
    expect(sitemap.match(/<loc>[^<]+<\/loc>/g)).toEqual(
      listed.map((p) => `<loc>${p === 'index.html' ? BASE_URL : BASE_URL + p}</loc>`),
    )
    expect(await fs.readFile(path.join(site.dir, 'robots.txt'), 'utf8')).toContain(`Sitemap: ${BASE_URL}sitemap.xml`)
    // Without the PDF stage there is no Chromium to draw the share image, so no page names one.
    for (const name of await htmlFiles(state.noPdfDir!)) {
      expect(await fs.readFile(path.join(state.noPdfDir!, name), 'utf8'), name).not.toContain('og:image')
    }
  })

  it('keeps the wide table inside its own scrolling box, reachable by keyboard; on a phone it stacks', async () => {
    const phone = await open(state.site!, 'part-2.html', NARROW)
    expect(await phone.$eval('#tbl-wide', (el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await phone.close()
    const page = await open(state.site!, 'part-2.html', TABLET)
    try {
      const box = await page.$eval('#tbl-wide', (el) => ({
        scrolls: el.scrollWidth > el.clientWidth,
        tabIndex: (el as HTMLElement).tabIndex,
        role: el.getAttribute('role'),
        name: document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent,
      }))
      expect(box).toEqual({ scrolls: true, tabIndex: 0, role: 'region', name: '表2 五列宽表测试' })
    } finally {
      await page.close()
    }
  })
})

describe('real book site', () => {
  const state: { site?: Site } = {}

  beforeAll(async () => {
    // A book that does not build fails every check below: it is never a reason to skip them.
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-site-'))
    const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'whitepaper-site-cache-'))
    // WHITEPAPER_SITE_ROOT points these checks at another book (a work-in-progress copy, say).
    await build(process.env.WHITEPAPER_SITE_ROOT ?? REPO, { outDir: out, cacheDir, pdf: false })
    state.site = await readSite(path.join(out, 'site'), false)
  })

  siteChecks(() => state.site)
  readerChecks(() => state.site)

  it('finds 金融科技, 风控 and 3753 in the right parts, each hit linked to its heading', async () => {
    const site = state.site!
    const search = await openSearch(path.join(site.dir, 'pagefind'))
    const parts = async (query: string) => (await search(query)).map((hit) => hit.url.split('#')[0])
    expect(await parts('金融科技')).toEqual(
      expect.arrayContaining(['part-1.html', 'part-2.html', 'part-3.html', 'part-4.html']),
    )
    const size = await search('3753')
    expect(size[0]).toMatchObject({
      url: 'part-1.html#part-1-s4-1',
      part: '第一部分 浪潮来袭',
      section: '（四）发展概况',
    })
    expect((await parts('风控')).slice(0, 3)).toContain('part-3.html')
    for (const hit of [...size, ...(await search('风控'))]) {
      const [file, id] = hit.url.split('#')
      expect(await fs.readFile(path.join(site.dir, file!), 'utf8'), hit.url).toContain(`id="${id}"`)
    }
  })

  it('offers the chart data as Excel-ready CSV with the spec’s Chinese titles and units', async () => {
    const csv = await fs.readFile(path.join(state.site!.dir, 'data/market-size.csv'), 'utf8')
    expect(csv.split('\r\n').slice(0, 4)).toEqual([
      '\uFEFF年份,市场规模（亿元）,是否预测',
      '2017,,',
      '2018,,',
      '2019,3753,',
    ])
  })

  it('shows search results over http with part, section, snippet and heading link; on file:// says why not', async () => {
    const site = state.site!
    const local = await open(site, 'search.html', NARROW)
    const note = await local.$eval('.search-file', (el) => !(el as HTMLElement).hidden && el.textContent!)
    expect(note).toContain('网页服务器')
    await local.close()
    const server = await serve(site.dir)
    try {
      const page = await currentBrowser().browser.newPage()
      await page.setViewport({ width: NARROW, height: 812 })
      await page.goto(`${server.url}search.html?q=${encodeURIComponent('3753')}`, { waitUntil: 'load' })
      await page.waitForSelector('.search-results li', { timeout: 10_000 })
      const first = await page.$eval('.search-results li', (li) => ({
        where: li.querySelector('.where')!.textContent,
        href: li.querySelector('a')!.getAttribute('href'),
        snippet: li.querySelector('p mark')?.textContent,
      }))
      expect(first).toEqual({
        where: '第一部分 浪潮来袭 · （四）发展概况',
        href: '/part-1.html#part-1-s4-1',
        snippet: '3753',
      })
      await page.close()
    } finally {
      server.close()
    }
  })
})
