/**
 * Look at the figures: render every spec in a figures folder, put each SVG in
 * a small HTML page that loads the book font with @font-face, and screenshot
 * it with headless Chromium.
 *
 *   npm run preview -- out-dir [--root .] [--width 680] [name …]
 *
 * Writes out-dir/<name>.svg, <name>.html and <name>.png, and out-dir/index.html
 * with all of them. Exits non-zero when a figure has errors.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import {
  BuildError,
  Diagnostics,
  FigureRenderer,
  formatDiagnostic,
  launchBrowser,
  loadConfig,
  resolveFonts,
  type BookFonts,
} from '../build/index.ts'

const USAGE = 'usage: npm run preview -- out-dir [--root dir] [--width px] [name …]'

/** A page showing `body` at `width` pixels, in the book font. */
function page(title: string, body: string, fonts: BookFonts, width: number): string {
  const face = (weight: number, file: string) => {
    const src = `url('${pathToFileURL(file).href}') format('woff2')`
    return `@font-face{font-family:'${fonts.family}';font-weight:${weight};src:${src}}`
  }
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title><style>\
${face(400, fonts.regular)}${face(700, fonts.bold)}
body{margin:0;padding:16px;font-family:'${fonts.family}';background:#fff}
figure{margin:0 0 32px;width:${width}px}figcaption{font-weight:700;margin-bottom:8px;text-align:center}
svg{width:100%;height:auto;display:block;outline:1px dotted #ccc}</style></head><body>${body}</body></html>`
}

/** The book's fonts, as the build resolves them from its config. */
async function bookFonts(root: string): Promise<BookFonts> {
  const diagnostics = new Diagnostics(root)
  const loaded = await loadConfig(root, diagnostics)
  const fonts = loaded && resolveFonts(loaded.config, root, diagnostics, loaded.file)
  if (!fonts) throw new BuildError(diagnostics.list)
  return fonts
}

/** The names (without `.vl.json`) of the specs in `figuresDir`, limited to `only` when given. */
async function specNames(figuresDir: string, only: string[]): Promise<string[]> {
  return (await fs.readdir(figuresDir))
    .filter((name) => name.endsWith('.vl.json'))
    .map((name) => name.slice(0, -'.vl.json'.length))
    .filter((name) => only.length === 0 || only.includes(name))
    .sort()
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { root: { type: 'string', default: '.' }, width: { type: 'string', default: '680' } },
  })
  const [outArg, ...only] = positionals
  if (!outArg) {
    console.error(USAGE)
    process.exitCode = 2
    return
  }
  const root = path.resolve(values.root)
  const width = Number(values.width)
  const outDir = path.resolve(outArg)
  await fs.mkdir(outDir, { recursive: true })
  const fonts = await bookFonts(root)
  const figuresDir = path.join(root, 'figures')
  const diagnostics = new Diagnostics(root)
  const renderer = new FigureRenderer({
    figuresDir,
    cacheDir: path.join(root, '.cache/figures'),
    fontFamily: fonts.family,
    fontFiles: { regular: fonts.regular, bold: fonts.bold },
    diagnostics,
  })
  const names = await specNames(figuresDir, only)
  const started = performance.now()
  const requests = names.map((name) => ({
    id: `fig-${name}`,
    spec: `${name}.vl.json`,
    title: name,
    file: `${name}.vl.json`,
  }))
  const rendered = await renderer.renderAll(requests)
  console.log(`rendered ${rendered.size}/${names.length} in ${Math.round(performance.now() - started)} ms`)
  for (const message of diagnostics.list) console.error(formatDiagnostic(message))
  const figures = names.flatMap((name) => {
    const figure = rendered.get(`fig-${name}`)
    return figure ? [{ name, svg: figure.svg, cached: figure.cached }] : []
  })
  await screenshot(figures, outDir, fonts, width)
  if (diagnostics.errorCount > 0) process.exitCode = 1
}

/** Write each figure's SVG and page, screenshot it, and write the index page of all of them. */
async function screenshot(
  figures: { name: string; svg: string; cached: boolean }[],
  outDir: string,
  fonts: BookFonts,
  width: number,
) {
  const launched = await launchBrowser()
  try {
    const tab = await launched.browser.newPage()
    await tab.setViewport({ width: width + 32, height: 400, deviceScaleFactor: 2 })
    const all: string[] = []
    for (const { name, svg, cached } of figures) {
      const body = `<figure><figcaption>${name}</figcaption>${svg}</figure>`
      all.push(body)
      await fs.writeFile(path.join(outDir, `${name}.svg`), svg)
      const htmlFile = path.join(outDir, `${name}.html`)
      await fs.writeFile(htmlFile, page(name, body, fonts, width))
      await tab.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' })
      await tab.evaluate(() => document.fonts.ready.then(() => undefined))
      const element = await tab.$('figure')
      await element?.screenshot({ path: path.join(outDir, `${name}.png`) as `${string}.png` })
      console.log(`${name}.png${cached ? ' (cached)' : ''}`)
    }
    await fs.writeFile(path.join(outDir, 'index.html'), page('figures', all.join('\n'), fonts, width))
  } finally {
    await launched.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BuildError ? error.diagnostics.map(formatDiagnostic).join('\n') : error)
  process.exitCode = 1
})
