/**
 * The share image (Open Graph, 1200×630): the book's `share.html` template,
 * drawn by the Chromium that prints the PDF, and cached by the bytes of its
 * document and fonts so that an unchanged book does not start a browser for it.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'puppeteer-core'
import { writeAtomic } from '../write/files.ts'
import type { Templates } from '../config/templates.ts'

export const SHARE_IMAGE = { file: 'og-image.png', width: 1200, height: 630 } as const

/**
 * The filled `share.html`: the book's view, with `faces` (the `@font-face` rules of the font files it may load) and
 * `fontStack` (the text's font families, quoted, for its `font-family`).
 */
export function shareDocument(templates: Pick<Templates, 'render'>, view: object, faces: string, fontStack: string) {
  return templates.render('share.html', { ...view, faces, fontStack })
}

export interface ShareImageOptions {
  /** The filled `share.html`; its URLs resolve against `dir`. */
  html: string
  /** The folder the document is written to for the browser; it may load files from there only. */
  dir: string
  /** Named in the cache key: the font files the document loads. */
  fontKey: string
  cacheDir: string
  getBrowser: () => Promise<Browser>
}

/** The PNG of the share image, from the cache or drawn now. */
export async function shareImage(options: ShareImageOptions): Promise<Buffer> {
  const key = createHash('sha256').update(options.html).update('\0').update(options.fontKey).digest('hex')
  const cached = path.join(options.cacheDir, 'share', `${key}.png`)
  const hit = await fs.readFile(cached).catch(() => undefined)
  if (hit) return hit
  const file = path.join(options.dir, `share-${key.slice(0, 12)}.html`)
  await fs.writeFile(file, options.html)
  const page = await (await options.getBrowser()).newPage()
  try {
    const allowed = pathToFileURL(options.dir).href + '/'
    await page.setRequestInterception(true)
    page.on('request', (request) => void (request.url().startsWith(allowed) ? request.continue() : request.abort()))
    await page.setViewport({ width: SHARE_IMAGE.width, height: SHARE_IMAGE.height, deviceScaleFactor: 1 })
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    const png = Buffer.from(await page.screenshot({ type: 'png' }))
    await fs.mkdir(path.dirname(cached), { recursive: true })
    await writeAtomic(cached, png)
    return png
  } finally {
    await page.close()
    await fs.rm(file, { force: true })
  }
}
