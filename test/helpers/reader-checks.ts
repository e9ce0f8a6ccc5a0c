/**
 * The site as a reader's tool, checked in headless Chromium: it reads without JavaScript, and on a phone the
 * menu stays one tap away, an enlarged figure is legible and no table column is squeezed; every heading and
 * caption links to itself, and the arrow keys turn pages.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, it } from 'vitest'
import { resolveLabels } from '../../build/index.ts'
import { NARROW, WIDE, bookPages, currentBrowser, labelPattern, open, view, type Site } from './site-checks.ts'

/** The reader checks. `get` returns undefined when the book could not be built: the checks fail. */
export function readerChecks(get: () => Site | undefined) {
  const need = (): Site => {
    const site = get()
    if (!site) throw new Error('the site was not built (see the error of beforeAll above)')
    return site
  }

  it('reads without JavaScript: deferred script files of its own (the book’s, the fonts’), no inline script', async () => {
    const site = need()
    for (const name of site.pages) {
      const html = await fs.readFile(path.join(site.dir, name), 'utf8')
      expect(html.match(/<script\b[^>]*>/gi), name).toEqual([
        '<script src="assets/site.js" defer>',
        '<script src="assets/fonts.js" defer>',
      ])
      expect(html, name).not.toMatch(/<script[^>]*>[^<]|\son[a-z]+\s*=|javascript:/i)
    }
    const page = await currentBrowser().browser.newPage()
    await page.setJavaScriptEnabled(false)
    await page.setViewport({ width: NARROW, height: 812 })
    for (const name of bookPages(site)) {
      await page.goto(pathToFileURL(path.join(site.dir, name)).href, { waitUntil: 'load' })
      const facts = await page.evaluate(() => ({
        text: document.querySelector('main')!.innerText.length,
        menu: document.querySelectorAll('.toc-menu a[href]').length,
      }))
      expect(facts.text, name).toBeGreaterThan(20)
      expect(facts.menu, name).toBeGreaterThan(2)
    }
    await page.close()
  })

  it(`at ${NARROW} px keeps the menu one tap away mid-page, and Esc closes it`, async () => {
    const site = need()
    const sizes = await Promise.all(
      bookPages(site).map(async (name) => ({ name, bytes: (await fs.stat(path.join(site.dir, name))).size })),
    )
    const longest = sizes.sort((a, b) => b.bytes - a.bytes)[0]!.name
    const page = await open(site, longest, NARROW)
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2))
    const button = await page.$eval('.toc-menu summary', (el) => {
      const box = el.getBoundingClientRect()
      return { top: box.top, bottom: box.bottom, scrolled: window.scrollY }
    })
    expect(button.scrolled).toBeGreaterThan(300)
    expect(button.top).toBeGreaterThanOrEqual(0)
    expect(button.bottom).toBeLessThanOrEqual(100)
    await page.click('.toc-menu summary')
    const menu = await page.$eval('.toc-menu nav', (nav) => ({
      top: nav.getBoundingClientRect().top,
      bottom: nav.getBoundingClientRect().bottom,
      links: nav.querySelectorAll('a').length,
      height: innerHeight,
    }))
    expect(menu.links).toBeGreaterThan(2)
    expect(menu.top).toBeGreaterThanOrEqual(0)
    expect(menu.bottom).toBeLessThanOrEqual(menu.height)
    await page.keyboard.press('Escape')
    expect(await page.$eval('.toc-menu', (el) => (el as HTMLDetailsElement).open)).toBe(false)
    await page.close()
  })

  it(`at ${NARROW} px an enlarged figure shows no label under 11 CSS px`, async () => {
    const site = need()
    const small: string[] = []
    let figures = 0
    for (const name of bookPages(site)) {
      const page = await open(site, name, NARROW)
      for (const id of await page.$$eval('figure.figure[id]', (els) => els.map((el) => el.id))) {
        figures++
        // A click in the page, not at coordinates: blocks below the first screen take their height as they render.
        await page.$eval(`#${id} .figure-zoom`, (button) => (button as HTMLButtonElement).click())
        const smallest = await page.$eval('dialog.figure-dialog[open] svg', (svg) => {
          const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width
          return Math.min(
            ...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale),
          )
        })
        if (smallest < 11) small.push(`${name}#${id}: ${smallest.toFixed(1)} px`)
        await page.keyboard.press('Escape')
      }
      await page.close()
    }
    expect(figures).toBeGreaterThan(0)
    expect(small).toEqual([])
  })

  it(`at ${NARROW} px no table column wraps at under 10 characters a line`, async () => {
    const site = need()
    const narrow: string[] = []
    for (const name of bookPages(site)) {
      const page = await open(site, name, NARROW)
      await page.$$eval('details.data-table', (els) => els.forEach((el) => ((el as HTMLDetailsElement).open = true)))
      const cells = await page.$$eval('main table td, main table th', (cells) =>
        cells.flatMap((cell) => {
          const style = getComputedStyle(cell)
          const fontSize = parseFloat(style.fontSize)
          const lineHeight = parseFloat(style.lineHeight) || fontSize * 1.5
          const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
          const height = cell.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
          const characters = width / fontSize
          return width > 0 && height > lineHeight * 1.5 && characters < 10
            ? [`${cell.closest('[id]')?.id}: ${characters.toFixed(1)} characters “${cell.textContent!.slice(0, 12)}”`]
            : []
        }),
      )
      narrow.push(...cells.map((entry) => `${name} ${entry}`))
      await page.close()
    }
    expect(narrow).toEqual([])
  })

  it('gives every heading, figure caption and table caption a link to itself, and turns pages with → and ←', async () => {
    const site = need()
    for (const name of bookPages(site).filter((p) => p !== 'index.html')) {
      const page = await view(site, name, WIDE)
      const unlinked = await page.$$eval(
        'main h1, main h2, main h3, main h4, figcaption, main .table-block caption',
        (els) =>
          els
            .filter((el) => {
              const target = el.matches('caption') ? el.closest('.table-block') : el.closest('[id]')
              return !target || el.querySelector(':scope > a.anchor')?.getAttribute('href') !== `#${target.id}`
            })
            .map((el) => el.textContent!.slice(0, 20)),
      )
      expect(unlinked, name).toEqual([])
    }
    const [first, second] = bookPages(site).filter((p) => p !== 'index.html')
    const page = await open(site, first!, WIDE)
    await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowRight')])
    expect(page.url()).toMatch(new RegExp(`/${second}$`))
    await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowLeft')])
    expect(page.url()).toMatch(new RegExp(`/${first}$`))
    await page.close()
  })

  it('marks up figures and tables accessibly; every chart, not diagram, has its data as CSV and as a table', async () => {
    const site = need()
    const dataLinked = new Set<string>()
    for (const name of site.pages) {
      const page = await view(site, name, WIDE)
      const facts = await page.evaluate(() => ({
        figures: [...document.querySelectorAll('figure.figure')].map((figure) => {
          const svg = figure.querySelector('svg')
          const labelledBy = svg?.getAttribute('aria-labelledby')?.split(/\s+/) ?? []
          const name =
            labelledBy
              .map((id) => document.getElementById(id)?.textContent ?? '')
              .join(' ')
              .trim() ||
            svg?.getAttribute('aria-label') ||
            svg?.querySelector(':scope > title')?.textContent ||
            ''
          return {
            id: figure.id,
            caption: figure.querySelector(':scope > figcaption')?.textContent?.trim() ?? '',
            role: svg?.getAttribute('role'),
            name,
            data: [...figure.querySelectorAll('.data-link a[href]')].map((a) => a.getAttribute('href')!),
            dataTables: [...figure.querySelectorAll('details.data-table table')].map((table) => ({
              caption: table.querySelector('caption')?.textContent ?? '',
              rows: table.querySelectorAll('tbody tr').length,
              headers: table.querySelectorAll('thead th[scope="col"]').length,
            })),
          }
        }),
        tables: [...document.querySelectorAll('main .table-block table')].map((table) => ({
          caption: table.querySelector(':scope > caption')?.textContent?.trim() ?? '',
          headers: table.querySelectorAll('th').length,
          scoped: table.querySelectorAll('th[scope]').length,
          continued: table.querySelectorAll('tr.continued').length,
        })),
      }))
      for (const figure of facts.figures) {
        expect(figure.caption, `${name}#${figure.id}`).toMatch(labelPattern(resolveLabels(site.language).figure, true))
        expect(figure.role, `${name}#${figure.id}`).toBe('img')
        expect(figure.name, `${name}#${figure.id}: accessible name`).toMatch(
          labelPattern(resolveLabels(site.language).figure),
        )
        // A chart's data is a CSV; a diagram's JSON (its boxes and labels) is drawing input, not data: not offered.
        expect(figure.dataTables.length, `${name}#${figure.id}: a data table for each data file`).toBe(
          figure.data.length,
        )
        for (const table of figure.dataTables) {
          expect(table.caption, `${name}#${figure.id}`).toMatch(/^图\d+ .+的数据$/)
          expect(table.rows, `${name}#${figure.id}`).toBeGreaterThan(0)
          expect(table.headers, `${name}#${figure.id}`).toBeGreaterThan(1)
        }
        for (const href of figure.data) {
          expect(href, `${name}#${figure.id}`).toMatch(/^data\/.+\.csv$/)
          await fs.access(path.join(site.dir, href))
          dataLinked.add(href)
        }
      }
      for (const table of facts.tables) {
        expect(table.caption, name).toMatch(labelPattern(resolveLabels(site.language).table, true))
        expect(table.headers, name).toBeGreaterThan(0)
        expect(table.scoped, name).toBe(table.headers)
        expect(table.continued, `${name}: the PDF's continuation row is not on the site`).toBe(0)
      }
    }
    const dataFiles = (await fs.readdir(path.join(site.dir, 'data'), { recursive: true }))
      .filter((f) => /\.\w+$/.test(f))
      .map((f) => `data/${f.split(path.sep).join('/')}`)
    expect(dataFiles.filter((file) => !dataLinked.has(file))).toEqual([])
    expect(dataLinked.size).toBeGreaterThan(0)
    for (const file of dataLinked) {
      const bytes = await fs.readFile(path.join(site.dir, file))
      expect([...bytes.subarray(0, 3)], `${file}: a UTF-8 byte-order mark, so that Excel reads the Chinese`).toEqual([
        0xef, 0xbb, 0xbf,
      ])
      const header = bytes.toString('utf8').slice(1).split(/\r?\n/)[0]!
      expect(header, `${file}: column titles from the spec, in Chinese`).toMatch(/[\u4e00-\u9fff]/)
    }
  })
}
