/** The floor: what Chromium alone needs to print the book's document, measured the way a build prints. */
import { pathToFileURL } from 'node:url'
import { PDF_OPTIONS, launchBrowser, type BrowserChoice } from '../../build/index.ts'
import type { MemorySampler } from './memory.ts'
import type { Run } from './results.ts'

/**
 * Chromium's own minimum for the document: launch, load the print HTML
 * (it loads its fonts from `site/fonts`), one `page.pdf()` with the build's
 * options, close. Every build that prints does at least this. Sets
 * `version.chromium` on the first run.
 */
export async function measureFloor(
  htmlFile: string,
  executable: BrowserChoice,
  sampler: MemorySampler,
  version: { chromium: string },
): Promise<Run> {
  await sampler.start()
  const t0 = performance.now()
  const launched = await launchBrowser(executable)
  const t1 = performance.now()
  let t2: number
  let t3: number
  try {
    const page = await launched.browser.newPage()
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' })
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    t2 = performance.now()
    await page.pdf(PDF_OPTIONS)
    t3 = performance.now()
    await page.close()
    version.chromium ||= await launched.browser.version()
  } finally {
    await launched.close()
  }
  const t4 = performance.now()
  const memory = await sampler.stop()
  return { ms: t4 - t0, ...memory, parts: { launch: t1 - t0, load: t2 - t1, pdf: t3 - t2, close: t4 - t3 } }
}
