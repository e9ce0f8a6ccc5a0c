/**
 * The checks every built site must pass, read the way a visitor's browser reads it: headless Chromium
 * opens every page from file://, follows every link, watches every request, and runs axe-core.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import axe from 'axe-core'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { launchBrowser, resolveLabels, type LaunchedBrowser } from '../../build/index.ts'

export const NARROW = 375
export const WIDE = 1280
const FONT_BUDGET = 1.5 * 1024 * 1024
/** The site's navigation, which print hides: every chapter page has each of these once. */
const NAVIGATION = ['.skip-link', '.site-header', '.toc-menu', '.sidebar', '.pager', '.site-footer']

export interface Site {
  dir: string
  pages: string[]
  hasPdf: boolean
  /** The book's language: its pages' `lang`, and the labels they must show. */
  language: string
}

/** A label as a pattern matching it with any number: `图{n}` → /图[\dA-Za-z.-]+/. */
export function labelPattern(label: string, anchored = false): RegExp {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{n\\}', '[\\dA-Za-z.-]+')
  return new RegExp(`${anchored ? '^' : ''}${escaped}`)
}

let browser: LaunchedBrowser

/** The browser of this test file (after `useBrowser`). */
export function currentBrowser(): LaunchedBrowser {
  return browser
}

/** Launch one Chromium for the test file's checks, and close it after them. */
export function useBrowser(): void {
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
}

/** The checks every built site must pass. `get` returns undefined when the book could not be built: the checks fail. */
export function siteChecks(get: () => Site | undefined) {
  const need = (): Site => {
    const site = get()
    if (!site) throw new Error('the site was not built (see the error of beforeAll above)')
    return site
  }

  it('resolves every internal link and anchor, and every link is relative', async () => {
    const site = need()
    const ids = new Map<string, Set<string>>()
    const idsOf = async (file: string) => {
      if (!ids.has(file)) ids.set(file, new Set(await pageIds(site, file)))
      return ids.get(file)!
    }
    const broken: string[] = []
    for (const name of site.pages) {
      const page = await view(site, name, WIDE)
      const hrefs = await page.$$eval('a[href], link[href]', (els) => els.map((el) => el.getAttribute('href')!))
      for (const href of hrefs) {
        // Authors may link out (https:, mailto:); a browser only follows those when the reader clicks.
        if (/^(data|https?|mailto|tel):/i.test(href)) continue
        if (/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(href)) {
          broken.push(`${name}: ${href} is not a relative link`)
          continue
        }
        const target = new URL(href, pathToFileURL(path.join(site.dir, name)))
        const file = decodeURIComponent(target.pathname)
        if (!file.startsWith(`${site.dir}/`)) {
          broken.push(`${name}: ${href} leaves the site folder`)
          continue
        }
        const exists = await fs.stat(file).then(
          (s) => s.isFile(),
          () => false,
        )
        if (!exists) {
          broken.push(`${name}: ${href} → missing file`)
          continue
        }
        const fragment = decodeURIComponent(target.hash.slice(1))
        if (fragment && file.endsWith('.html') && !(await idsOf(path.relative(site.dir, file))).has(fragment)) {
          broken.push(`${name}: ${href} → no element with id "${fragment}"`)
        }
      }
    }
    for (const name of site.pages) {
      const all = await (await view(site, name, WIDE)).$$eval('[id]', (els) => els.map((el) => el.id))
      for (const id of new Set(all.filter((id, i) => all.indexOf(id) !== i)))
        broken.push(`${name}: id "${id}" is used more than once`)
    }
    expect(broken).toEqual([])
  })

  it('makes no request outside the site folder, and loads its own fonts', async () => {
    const site = need()
    const base = pathToFileURL(site.dir).href + '/'
    const outside: string[] = []
    const fonts = new Set<string>()
    // A 404 page with a <base> (the site has a baseUrl) is for a server, which shows it at any depth; from disk its
    // base points outside.
    const local = []
    for (const name of site.pages) {
      if (!(await fs.readFile(path.join(site.dir, name), 'utf8')).includes('<base ')) local.push(name)
    }
    for (const name of local) {
      const page = await browser.browser.newPage()
      await page.setRequestInterception(true)
      page.on('request', (request) => {
        const url = request.url()
        if (url.startsWith('data:')) return void request.continue()
        if (!url.startsWith(base)) {
          outside.push(`${name}: ${url}`)
          return void request.abort()
        }
        if (url.includes('/fonts/')) fonts.add(url.slice(base.length))
        return void request.continue()
      })
      await page.setViewport({ width: WIDE, height: 900 })
      await page.goto(base + name, { waitUntil: 'load' })
      // The whole faces (no unicode-range) follow the first paint: wait for them.
      const whole = () => [...document.fonts].some((f) => f.unicodeRange === 'U+0-10FFFF' && f.status === 'loaded')
      await page.waitForFunction(whole, { timeout: 10_000 })
      await page.close()
    }
    expect(outside).toEqual([])
    expect([...fonts].length).toBeGreaterThan(0)
  })

  it(`never scrolls sideways at ${NARROW} px, with the menu shut or open`, async () => {
    const site = need()
    const wide: string[] = []
    for (const name of site.pages) {
      const page = await view(site, name, NARROW)
      const shut = await page.evaluate(() => document.documentElement.scrollWidth)
      await page.evaluate(() => document.querySelector('details.toc-menu')?.setAttribute('open', ''))
      const open_ = await page.evaluate(() => document.documentElement.scrollWidth)
      const culprits = await page.evaluate(
        (limit) =>
          [...document.querySelectorAll('main *')]
            .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !el.closest('.table-block'))
            .slice(0, 3)
            .map((el) => el.outerHTML.slice(0, 80)),
        NARROW,
      )
      await page.evaluate(() => document.querySelector('details.toc-menu')?.removeAttribute('open'))
      if (shut > NARROW || open_ > NARROW) wide.push(`${name}: ${shut}/${open_} px ${culprits.join(' | ')}`)
    }
    expect(wide).toEqual([])
  })

  it('scales figures down to the column at 375 px', async () => {
    const site = need()
    for (const name of site.pages) {
      const page = await view(site, name, NARROW)
      const overflowing = await page.$$eval('figure svg', (svgs) =>
        svgs
          .filter(
            (svg) => svg.getBoundingClientRect().width > svg.closest('figure')!.getBoundingClientRect().width + 0.5,
          )
          .map((svg) => svg.closest('figure')!.id),
      )
      expect(overflowing, name).toEqual([])
    }
  })

  it('has no serious or critical axe-core violations, wide and narrow', async () => {
    const site = need()
    const found: string[] = []
    for (const name of site.pages) {
      // Narrow differs from wide by the menu (the same on every page) and by tables that scroll: check those pages twice.
      const html = await fs.readFile(path.join(site.dir, name), 'utf8')
      const widths = name === 'index.html' || html.includes('class="table-block"') ? [WIDE, NARROW] : [WIDE]
      for (const width of widths) {
        const page = await view(site, name, width)
        await page.addScriptTag({ content: axe.source })
        const violations = await page.evaluate(async () => {
          // A chart's marks are presentational children of its role="img" SVG (whose name axe still checks); skipping them halves the run.
          const result = await (window as unknown as { axe: typeof axe }).axe.run(
            { exclude: [['figure svg[role="img"] > :not(title):not(desc)']] },
            { resultTypes: ['violations'] },
          )
          return result.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
            help: v.help,
          }))
        })
        for (const v of violations)
          if (v.impact === 'serious' || v.impact === 'critical')
            found.push(`${name} @${width}px: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`)
      }
    }
    expect(found).toEqual([])
  })

  it(`keeps the fonts under ${FONT_BUDGET / 1024 / 1024} MB`, async () => {
    const site = need()
    const files = await fs.readdir(path.join(site.dir, 'fonts'))
    expect(files.length).toBeGreaterThan(0)
    let total = 0
    for (const file of files) total += (await fs.stat(path.join(site.dir, 'fonts', file))).size
    expect(total).toBeLessThan(FONT_BUDGET)
  })

  // A wide screen may show a few characters more, which come with the whole faces a moment after the first paint.
  it(`shows its first screen on a ${NARROW} px phone with the page's first font files alone`, async () => {
    const site = need()
    const outside: string[] = []
    for (const name of site.pages) {
      const chars = await (await view(site, name, NARROW)).evaluate(firstScreenOutsideFirstFiles)
      if (chars) outside.push(`${name}: ${chars}`)
    }
    expect(outside).toEqual([])
  })

  it('gives every page lang, title, description, Open Graph title, one h1 and headings in order', async () => {
    const site = need()
    for (const name of site.pages) {
      const page = await view(site, name, WIDE)
      const facts = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title.trim(),
        description: document.querySelector('meta[name="description"]')?.getAttribute('content')?.trim(),
        ogTitle: document.querySelector('meta[property="og:title"]')?.getAttribute('content')?.trim(),
        ogDescription: document.querySelector('meta[property="og:description"]')?.getAttribute('content')?.trim(),
        viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content'),
        headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
      }))
      expect(facts.lang, name).toBe(site.language)
      expect(facts.title, name).toBeTruthy()
      expect(facts.description, name).toBeTruthy()
      expect(facts.ogTitle, name).toBeTruthy()
      expect(facts.ogDescription, name).toBeTruthy()
      expect(facts.viewport, name).toContain('width=device-width')
      expect(
        facts.headings.filter((level) => level === 1),
        `${name}: one h1`,
      ).toHaveLength(1)
      expect(facts.headings[0], `${name}: starts with the h1`).toBe(1)
      const skips = facts.headings.flatMap((level, i) =>
        i > 0 && level > facts.headings[i - 1]! + 1 ? [`h${facts.headings[i - 1]} → h${level}`] : [],
      )
      expect(skips, `${name}: skipped heading levels`).toEqual([])
    }
  })

  it('lists every part, section, figure and table on the index, each linked to where it is', async () => {
    const site = need()
    const targets: string[] = []
    for (const name of bookPages(site).filter((p) => p !== 'index.html')) {
      const page = await view(site, name, WIDE)
      // Parts and their sections are in the TOC; figures and tables in the lists (sections of front matter are not listed).
      const ids = await page.$$eval('.part-header[id], figure.figure[id], .table-block[id]', (els) =>
        els.map((el) => el.id),
      )
      if (ids.length > 0 && (await page.$('.part-header')))
        ids.push(...(await page.$$eval('main article > h2[id]', (els) => els.map((el) => el.id))))
      for (const id of ids) targets.push(`${name}#${id}`)
    }
    const index = await view(site, 'index.html', WIDE)
    const links = new Set(await index.$$eval('main a[href]', (els) => els.map((el) => el.getAttribute('href')!)))
    const headings = await index.$$eval('main h2', (els) => els.map((el) => el.textContent!.trim()))
    for (const pageName of bookPages(site).filter((p) => p !== 'index.html'))
      expect(links.has(pageName) || [...links].some((l) => l.startsWith(`${pageName}#`)), pageName).toBe(true)
    const missing = targets.filter((target) => {
      const [file, id] = target.split('#')
      return !links.has(target) && !(links.has(file!) && file === `${id}.html`)
    })
    expect(missing).toEqual([])
    const labels = resolveLabels(site.language)
    expect(headings).toEqual(expect.arrayContaining([labels.contents, labels.listOfFigures, labels.listOfTables]))
  })

  it('offers a skip link first, and shows where keyboard focus is', async () => {
    const site = need()
    const page = await open(
      site,
      bookPages(site).find((p) => p !== 'index.html')!,
      WIDE,
    )
    await page.keyboard.press('Tab')
    const skip = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement
      const style = getComputedStyle(el)
      return {
        href: el.getAttribute('href'),
        top: el.getBoundingClientRect().top,
        outline: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
      }
    })
    expect(skip.href).toBe('#main')
    expect(skip.top).toBeGreaterThanOrEqual(0)
    await page.keyboard.press('Tab')
    const next = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!)
      return { outline: style.outlineStyle, width: parseFloat(style.outlineWidth) }
    })
    expect(next.outline).not.toBe('none')
    expect(next.width).toBeGreaterThanOrEqual(2)
    await page.close()
  })

  it('prints without the navigation', async () => {
    const site = need()
    const page = await open(
      site,
      bookPages(site).find((p) => p !== 'index.html')!,
      WIDE,
    )
    await page.emulateMediaType('print')
    // Each part of the navigation must be on the page (or hiding it proves nothing), and hidden in print.
    const displays = await page.evaluate(
      (selectors) =>
        selectors.map((selector) => [...document.querySelectorAll(selector)].map((el) => getComputedStyle(el).display)),
      NAVIGATION,
    )
    expect(Object.fromEntries(NAVIGATION.map((selector, i) => [selector, displays[i]]))).toEqual(
      Object.fromEntries(NAVIGATION.map((selector) => [selector, ['none']])),
    )
    expect(await page.$eval('main', (el) => getComputedStyle(el).display)).not.toBe('none')
    await page.close()
  })
}

/** The pages of the book itself: not the search page or the 404 page. */
export function bookPages(site: Site): string[] {
  return site.pages.filter((p) => p !== 'search.html' && p !== '404.html')
}

export async function readSite(dir: string, hasPdf: boolean, language = 'zh-CN'): Promise<Site> {
  return { dir: await fs.realpath(dir), pages: await htmlFiles(dir), hasPdf, language }
}

export async function htmlFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.endsWith('.html')).sort()
}

export async function open(site: Site, name: string, width: number): Promise<Page> {
  const page = await browser.browser.newPage()
  await page.setViewport({ width, height: width === NARROW ? 812 : 900 })
  await page.goto(pathToFileURL(path.join(site.dir, name)).href, { waitUntil: 'load' })
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  return page
}

async function pageIds(site: Site, name: string): Promise<string[]> {
  const page = await view(site, name, WIDE)
  return page.$$eval('[id]', (els) => els.map((el) => el.id))
}

/** Loaded pages, shared by the checks that only read them: loading a page with its fonts and SVGs is the slow part. */
const views = new Map<string, Promise<Page>>()

export function view(site: Site, name: string, width: number): Promise<Page> {
  const key = `${site.dir}/${name}@${width}`
  if (!views.has(key)) views.set(key, open(site, name, width))
  return views.get(key)!
}

/** The characters shown on the first screen that no `@font-face` with a `unicode-range` (a first file) covers. */
function firstScreenOutsideFirstFiles(): string {
  // The page's own style element: from file:// the stylesheet files' rules cannot be read.
  const ranges = [...document.querySelectorAll('style')]
    .flatMap((style) => [...style.sheet!.cssRules])
    .filter((rule): rule is CSSFontFaceRule => rule instanceof CSSFontFaceRule)
    .flatMap((rule) => rule.style.getPropertyValue('unicode-range').split(',').filter(Boolean))
    .map((range) =>
      range
        .trim()
        .slice(2)
        .split('-')
        .map((hex) => parseInt(hex, 16)),
    )
  const covered = (code: number) => ranges.some(([from, to = from]) => code >= from! && code <= to)
  const outside = new Set<string>()
  const range = document.createRange()
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement!.checkVisibility({ contentVisibilityAuto: true })) continue
    range.selectNodeContents(node)
    const rects = [...range.getClientRects()]
    if (!rects.some((r) => r.width > 0 && r.top < innerHeight && r.bottom > 0)) continue
    for (const char of node.textContent!) if (char.trim() && !covered(char.codePointAt(0)!)) outside.add(char)
  }
  return [...outside].join('')
}
