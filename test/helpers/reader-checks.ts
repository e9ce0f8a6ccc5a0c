/**
 * The site as a reader's tool, checked in headless Chromium: it reads without JavaScript, and on a phone the
 * menu stays one tap away, an enlarged figure is legible and no table column is squeezed; every heading and
 * caption links to itself, and the arrow keys turn pages.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, it } from 'vitest'
import { NARROW, WIDE, bookPages, currentBrowser, open, view, type Site } from './site-checks.ts'

/** The reader checks. `get` returns undefined when the book could not be built: the checks fail. */
export function readerChecks(get: () => Site | undefined) {
  const need = (): Site => {
    const site = get()
    if (!site) throw new Error('the site was not built (see the error of beforeAll above)')
    return site
  }

  it('reads without JavaScript: one deferred script file of its own, no inline script', async () => {
    const site = need()
    for (const name of site.pages) {
      const html = await fs.readFile(path.join(site.dir, name), 'utf8')
      expect(html.match(/<script\b[^>]*>/gi), name).toEqual(['<script src="assets/site.js" defer>'])
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
        await page.click(`#${id} .figure-zoom`)
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
}
