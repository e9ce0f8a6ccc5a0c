/**
 * The published site, read in headless Chromium (see helpers/site-checks.ts), on the mini book (with a
 * wide table added) and on the real book.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO, build, copyBook } from '../helpers/book.ts'
import { NARROW, htmlFiles, open, readSite, siteChecks, useBrowser, type Site } from '../helpers/site-checks.ts'

useBrowser()

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
    })
    await build(root)
    state.site = await readSite(path.join(root, 'dist/site'), true)
    const noPdf = path.join(root, 'dist-no-pdf')
    await build(root, { outDir: noPdf, pdf: false })
    state.noPdfDir = path.join(noPdf, 'site')
  })

  siteChecks(() => state.site)

  it('links the PDF from every page when it is built, and never when it is not', async () => {
    const site = state.site!
    for (const name of site.pages)
      expect(await fs.readFile(path.join(site.dir, name), 'utf8'), name).toContain('href="whitepaper.pdf"')
    await fs.access(path.join(site.dir, 'whitepaper.pdf'))
    for (const name of await htmlFiles(state.noPdfDir!)) {
      expect(await fs.readFile(path.join(state.noPdfDir!, name), 'utf8'), name).not.toContain('whitepaper.pdf')
    }
  })

  it('keeps the wide table inside its own scrolling box, reachable by keyboard', async () => {
    const page = await open(state.site!, 'part-2.html', NARROW)
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
})
